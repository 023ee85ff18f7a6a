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
  /** Redis key suffixes after the hash-tagged key, one per key of a decision. */
  readonly keySuffixes: readonly string[];
  /** Lua names of those keys, the first parameters of the decision function. */
  readonly luaParams: readonly string[];
  /**
   * Body of `local function decide(<luaParams>, cost, now)`; it may read `limit`, `window` and
   * `ttlPad` and returns exactly four numbers: allowed (0/1), remaining, resetMs, retryAfterMs.
   * See {@link luaScript}.
   */
  readonly lua: string;
  step(state: S | undefined, input: StepInput): StepResult<S>;
}

/**
 * The one script of an algorithm: decides a batch of N decisions (N ≥ 1) of one limiter,
 * atomically, in one EVALSHA. KEYS: the keys of decision 1, then of decision 2, …;
 * ARGV: limit, windowMs, a fixed `now` for tests or '' (production: the server's clock via
 * TIME, allowed in Redis 7 scripts, which replicate effects, not the script), then one cost per
 * decision. Every number is an integer below 2^53, which a double holds exactly, so both the
 * states (one string per key, written with SET … PX) and the reply are little-endian doubles
 * packed with Redis Lua's `struct`: number↔text conversion (`..`, `tonumber`) was most of a
 * small script's CPU, and one binary string spares the client parsing an array of integers.
 * The reply holds 4 doubles per decision: allowed (0/1), remaining, resetMs, retryAfterMs.
 */
export function luaScript(algorithm: Algorithm<unknown>): string {
  const keys = algorithm.luaParams;
  const args = keys.map((_, k) => `KEYS[base + ${k + 1}]`).join(', ');
  return `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local clock
-- With a test clock, fake time runs faster than real time: pad TTLs so Redis never drops a
-- state that still matters on the fake clock (a longer TTL never changes a decision).
local ttlPad = 0
if ARGV[3] ~= '' then
  clock = tonumber(ARGV[3])
  ttlPad = 3600000
else
  local t = redis.call('TIME')
  clock = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function decide(${keys.join(', ')}, cost, now)
${algorithm.lua}
end
local out = {}
for i = 1, #ARGV - 3 do
  local base = (i - 1) * ${keys.length}
  out[i] = struct.pack('<dddd', decide(${args}, tonumber(ARGV[3 + i]), clock))
end
return table.concat(out)
`;
}
