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
  luaParams: ['key'],
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
local b = 0
local v = redis.call('GET', key)
if v then
  local m, r, l = struct.unpack('<ddd', v)
  if m >= now then b = (m - now) * l + r end
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
  redis.call('SET', key, struct.pack('<ddd', now + math.floor(b / limit), b % limit, limit), 'PX', reset + ttlPad)
elseif v then
  redis.call('DEL', key)
end
return allowed, math.max(0, math.floor((tolerance - b) / window)), reset, retry
`,
};
