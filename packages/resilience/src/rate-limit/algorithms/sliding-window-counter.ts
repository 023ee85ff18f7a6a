import type { Algorithm } from './algorithm.ts';

/** Start of the current fixed window `s`, units admitted in it `c`, and in the previous one `p`. */
export interface SlidingWindowCounterState {
  s: number;
  c: number;
  p: number;
}

/**
 * Sliding window counter: estimates the units of the last `windowMs` as
 * `p · (windowMs − e) / windowMs + c` (e = ms elapsed in the current fixed window), i.e. it
 * assumes the previous window's units were spread evenly. Scaled by windowMs to stay integer.
 */
export const slidingWindowCounter: Algorithm<SlidingWindowCounterState> = {
  name: 'sliding-window-counter',
  luaParams: ['key'],
  keySuffixes: [''],
  step(state, { now, cost, limit, windowMs: w }) {
    let start = now - (now % w);
    let c = 0;
    let p = 0;
    let skew = 0;
    if (state !== undefined) {
      if (state.s >= start) {
        // Same window, or our clock went backwards: stay in the stored window.
        if (state.s > now) {
          skew = state.s - now;
          now = state.s;
        }
        start = state.s;
        c = state.c;
        p = state.p;
      } else if (state.s === start - w) {
        p = state.c;
      }
    }
    const e = now - start;
    const full = limit * w;
    let est = p * (w - e) + c * w;
    let allowed = false;
    let retry = 0;
    if (est + cost * w <= full) {
      allowed = true;
      c = c + cost;
      est = est + cost * w;
    } else if (c + cost <= limit) {
      // The previous window's share must decay to full - (c + cost)·w within this window.
      retry = w - Math.floor((full - (c + cost) * w) / p) - e + skew;
    } else {
      // Only the next window can admit it, once this window's units decay as its "previous".
      retry = w - e + (w - Math.floor((full - cost * w) / c)) + skew;
    }
    let reset = 0;
    if (c > 0) reset = 2 * w - e + skew;
    else if (p > 0) reset = w - e + skew;
    return {
      outcome: {
        allowed,
        remaining: Math.max(0, Math.floor((full - est) / w)),
        resetMs: reset,
        retryAfterMs: retry,
      },
      state: reset > 0 ? { s: start, c, p } : undefined,
      ttlMs: reset,
    };
  },
  lua: `
local start = now - (now % window)
local c = 0
local p = 0
local skew = 0
local v = redis.call('GET', key)
if v then
  local ss, sc, sp = struct.unpack('<ddd', v)
  if ss >= start then
    if ss > now then
      skew = ss - now
      now = ss
    end
    start = ss
    c = sc
    p = sp
  elseif ss == start - window then
    p = sc
  end
end
local e = now - start
local full = limit * window
local est = p * (window - e) + c * window
local allowed = 0
local retry = 0
if est + cost * window <= full then
  allowed = 1
  c = c + cost
  est = est + cost * window
elseif c + cost <= limit then
  retry = window - math.floor((full - (c + cost) * window) / p) - e + skew
else
  retry = window - e + (window - math.floor((full - cost * window) / c)) + skew
end
local reset = 0
if c > 0 then reset = 2 * window - e + skew
elseif p > 0 then reset = window - e + skew end
if reset > 0 then
  redis.call('SET', key, struct.pack('<ddd', start, c, p), 'PX', reset + ttlPad)
elseif v then
  redis.call('DEL', key)
end
return allowed, math.max(0, math.floor((full - est) / window)), reset, retry
`,
};
