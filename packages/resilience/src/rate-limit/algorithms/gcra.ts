import type { Algorithm } from './algorithm.ts';

/**
 * GCRA keeps one value, the theoretical arrival time TAT = `m + r / l` ms: whole ms `m` plus a
 * remainder `r` in units of 1/l ms (`0 <= r < l`), so the emission interval `windowMs / limit`
 * stays exact in integers. `l` is the limit the TAT was counted with, for runtime changes.
 */
export interface GcraState {
  m: number;
  r: number;
  l: number;
}

/**
 * Generic cell rate algorithm with emission interval T = windowMs / limit and burst tolerance
 * τ = windowMs: admit when `max(TAT, now) + cost·T − now ≤ windowMs`.
 */
export const gcra: Algorithm<GcraState> = {
  name: 'gcra',
  keySuffixes: [''],
  step(state, { now, cost, limit, windowMs: w }) {
    // b: backlog ahead of now, in 1/limit ms: (max(TAT, now) - now) * limit.
    // Counted with the limit the state was stored under: b measures units used (w per unit),
    // so a runtime limit change keeps the units already used, as the window algorithms do.
    let b = 0;
    if (state !== undefined && state.m >= now) b = (state.m - now) * state.l + state.r;
    const tolerance = w * limit;
    const nb = b + cost * w;
    let allowed = false;
    let retry = 0;
    if (nb <= tolerance) {
      allowed = true;
      b = nb;
    } else {
      retry = Math.ceil((nb - tolerance) / limit);
    }
    const reset = Math.ceil(b / limit);
    return {
      outcome: {
        allowed,
        remaining: Math.max(0, Math.floor((tolerance - b) / w)),
        resetMs: reset,
        retryAfterMs: retry,
      },
      state: reset > 0 ? { m: now + Math.floor(b / limit), r: b % limit, l: limit } : undefined,
      ttlMs: reset,
    };
  },
  lua: `
local key = KEYS[1]
local s = redis.call('HMGET', key, 'm', 'r', 'l')
local b = 0
if s[1] and tonumber(s[1]) >= now then
  b = (tonumber(s[1]) - now) * tonumber(s[3]) + tonumber(s[2])
end
local tolerance = window * limit
local nb = b + cost * window
local allowed = 0
local retry = 0
if nb <= tolerance then
  allowed = 1
  b = nb
else
  retry = math.ceil((nb - tolerance) / limit)
end
local reset = math.ceil(b / limit)
if reset > 0 then
  redis.call('HSET', key, 'm', fmt(now + math.floor(b / limit)), 'r', fmt(b % limit), 'l', fmt(limit))
end
keep(key, reset)
return { allowed, math.max(0, math.floor((tolerance - b) / window)), reset, retry }
`,
};
