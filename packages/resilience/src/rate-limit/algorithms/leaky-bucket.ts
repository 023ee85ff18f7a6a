import type { Algorithm } from './algorithm.ts';

/**
 * Leaky bucket level scaled by the window (`level * w`, exact integers), the last decision time
 * `ts`, and the window `w` the level was scaled by.
 */
export interface LeakyBucketState {
  v: number;
  ts: number;
  w: number;
}

/**
 * Leaky bucket **as a meter** (queue-less policing, as in ATM's GCRA "virtual scheduling"
 * twin): the bucket holds up to `limit` units and leaks `limit` units per `windowMs`; a request
 * that would overflow it is rejected at once, never queued or delayed.
 */
export const leakyBucket: Algorithm<LeakyBucketState> = {
  name: 'leaky-bucket',
  luaParams: ['key'],
  keySuffixes: [''],
  step(state, { now, cost, limit, windowMs: w }) {
    const full = limit * w;
    let v = 0;
    let ts = now;
    if (state !== undefined) {
      v = state.v;
      ts = state.ts;
      if (state.w !== w) v = Math.ceil((v * w) / state.w);
    }
    let skew = 0;
    if (now < ts) {
      skew = ts - now;
      now = ts;
    }
    v = Math.max(0, v - Math.min(now - ts, w) * limit);
    const add = cost * w;
    let allowed = false;
    let retry = 0;
    if (v + add <= full) {
      allowed = true;
      v = v + add;
    } else {
      retry = Math.ceil((v + add - full) / limit) + skew;
    }
    let reset = Math.ceil(v / limit);
    if (reset > 0) reset = reset + skew;
    return {
      outcome: {
        allowed,
        remaining: Math.max(0, Math.floor((full - v) / w)),
        resetMs: reset,
        retryAfterMs: retry,
      },
      state: reset > 0 ? { v, ts: now, w } : undefined,
      ttlMs: reset,
    };
  },
  lua: `
local full = limit * window
local lv = 0
local ts = now
local v = redis.call('GET', key)
if v then
  local sw
  lv, ts, sw = struct.unpack('<ddd', v)
  if sw ~= window then lv = math.ceil((lv * window) / sw) end
end
local skew = 0
if now < ts then
  skew = ts - now
  now = ts
end
lv = math.max(0, lv - math.min(now - ts, window) * limit)
local add = cost * window
local allowed = 0
local retry = 0
if lv + add <= full then
  allowed = 1
  lv = lv + add
else
  retry = math.ceil((lv + add - full) / limit) + skew
end
local reset = math.ceil(lv / limit)
if reset > 0 then
  reset = reset + skew
  redis.call('SET', key, struct.pack('<ddd', lv, now, window), 'PX', reset + ttlPad)
elseif v then
  redis.call('DEL', key)
end
return allowed, math.max(0, math.floor((full - lv) / window)), reset, retry
`,
};
