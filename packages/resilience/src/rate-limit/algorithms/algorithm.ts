import type { RateLimitAlgorithm } from '../rate-limiter.ts';

/**
 * One decision of an algorithm, before the limiter adds `limit`. Durations are whole ms
 * (rounded up), `remaining` whole units (rounded down).
 */
export interface Outcome {
  allowed: boolean;
  remaining: number;
  resetMs: number;
  retryAfterMs: number;
}

/** The inputs of one decision. All integers; `now` in whole ms. */
export interface StepInput {
  now: number;
  cost: number;
  limit: number;
  windowMs: number;
}

/** What a step leaves behind: the new state and how long it matters, or undefined to delete. */
export interface StepResult<S> {
  outcome: Outcome;
  state: S | undefined;
  /** ms after which an absent state means exactly the same as `state` (the Redis PEXPIRE). */
  ttlMs: number;
}

/**
 * An algorithm written twice with the same integer maths: `step` for memory and `lua` for
 * Redis (same operations in the same order, so both backends decide identically; the parity
 * tests check it). Internal: not exported from the package.
 */
export interface Algorithm<S> {
  readonly name: RateLimitAlgorithm;
  /** Redis key suffixes after the hash-tagged key, one per KEYS entry. */
  readonly keySuffixes: readonly string[];
  /** Script body run after {@link luaPrelude}; returns {allowed, remaining, resetMs, retryAfterMs}. */
  readonly lua: string;
  step(state: S | undefined, input: StepInput): StepResult<S>;
}

/**
 * Shared start of every script. ARGV: limit, windowMs, cost, and only in tests a fixed `now`.
 * Production passes no ARGV[4] and the script reads the server's clock with TIME (allowed in
 * Redis 7 scripts, which replicate effects, not the script). States are short strings
 * (numbers joined by `:`, written with SET … PX) so a decision costs TIME + GET + SET; every
 * number is an integer below 2^53 and below 1e14, which Lua's `..` prints exactly.
 */
export const luaPrelude = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now
-- With a test clock, fake time runs faster than real time: pad TTLs so Redis never drops a
-- state that still matters on the fake clock (a longer TTL never changes a decision).
local ttlPad = 0
if ARGV[4] then
  now = tonumber(ARGV[4])
  ttlPad = 3600000
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;
