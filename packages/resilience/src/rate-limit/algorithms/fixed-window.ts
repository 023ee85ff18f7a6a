import type { Algorithm } from './algorithm.ts';

/** Start of the current window `s` (epoch ms, aligned to the window) and units admitted `n`. */
export interface FixedWindowState {
  s: number;
  n: number;
}

/**
 * Fixed window: at most `limit` units per window `[k·windowMs, (k+1)·windowMs)`, windows aligned
 * to the epoch so every replica and key shares the same boundaries.
 */
export const fixedWindow: Algorithm<FixedWindowState> = {
  name: 'fixed-window',
  luaParams: ['key'],
  keySuffixes: [''],
  step(state, { now, cost, limit, windowMs: w }) {
    let start = now - (now % w);
    let n = 0;
    // A stored window later than ours means our clock went backwards: stay in the stored one.
    if (state !== undefined && state.s >= start) {
      start = state.s;
      n = state.n;
    }
    const reset = start + w - now;
    let allowed = false;
    let retry = 0;
    if (n + cost <= limit) {
      allowed = true;
      n = n + cost;
    } else {
      retry = reset;
    }
    return {
      outcome: { allowed, remaining: Math.max(0, limit - n), resetMs: reset, retryAfterMs: retry },
      state: n > 0 ? { s: start, n } : undefined,
      ttlMs: n > 0 ? reset : 0,
    };
  },
  lua: `
local start = now - (now % window)
local n = 0
local v = redis.call('GET', key)
if v then
  local s, c = struct.unpack('<dd', v)
  if s >= start then
    start = s
    n = c
  end
end
local reset = start + window - now
local allowed = 0
local retry = 0
if n + cost <= limit then
  allowed = 1
  n = n + cost
else
  retry = reset
end
if n > 0 then
  redis.call('SET', key, struct.pack('<dd', start, n), 'PX', reset + ttlPad)
elseif v then
  redis.call('DEL', key)
end
return allowed, math.max(0, limit - n), reset, retry
`,
};
