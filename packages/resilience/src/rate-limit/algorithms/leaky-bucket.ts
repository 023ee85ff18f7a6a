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
local key = KEYS[1]
local full = limit * window
local s = redis.call('HMGET', key, 'v', 'ts', 'w')
local v = 0
local ts = now
if s[1] then
  v = tonumber(s[1])
  ts = tonumber(s[2])
  local sw = tonumber(s[3])
  if sw ~= window then v = math.ceil((v * window) / sw) end
end
local skew = 0
if now < ts then
  skew = ts - now
  now = ts
end
v = math.max(0, v - math.min(now - ts, window) * limit)
local add = cost * window
local allowed = 0
local retry = 0
if v + add <= full then
  allowed = 1
  v = v + add
else
  retry = math.ceil((v + add - full) / limit) + skew
end
local reset = math.ceil(v / limit)
if reset > 0 then
  reset = reset + skew
  redis.call('HSET', key, 'v', fmt(v), 'ts', fmt(now), 'w', fmt(window))
end
keep(key, reset)
return { allowed, math.max(0, math.floor((full - v) / window)), reset, retry }
`,
};
