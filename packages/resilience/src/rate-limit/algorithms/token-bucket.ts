import type { Algorithm } from './algorithm.ts';

/**
 * Token bucket. `t` is tokens scaled by the window (`tokens * w`), so refill
 * (`elapsed * limit`) stays in exact integers; `w` is the window `t` was scaled by, so a
 * runtime window change rescales instead of minting tokens; `l` the limit then, so a runtime
 * limit change keeps the units already used; `ts` is the last decision time.
 */
export interface TokenBucketState {
  t: number;
  ts: number;
  w: number;
  l: number;
}

/** Capacity `limit`, refilled continuously at `limit` tokens per `windowMs`. */
export const tokenBucket: Algorithm<TokenBucketState> = {
  name: 'token-bucket',
  luaParams: ['key'],
  keySuffixes: [''],
  step(state, { now, cost, limit, windowMs: w }) {
    const full = limit * w;
    let t = full;
    let ts = now;
    if (state !== undefined) {
      t = state.t;
      ts = state.ts;
      if (state.w !== w) t = Math.floor((t * w) / state.w);
      if (state.l !== limit) t = Math.max(0, t + (limit - state.l) * w);
    }
    let skew = 0;
    if (now < ts) {
      // Clock went backwards (a failover to a replica behind us): no refill, never mint tokens.
      skew = ts - now;
      now = ts;
    }
    t = Math.min(full, t + Math.min(now - ts, w) * limit);
    const need = cost * w;
    let allowed = false;
    let retry = 0;
    if (t >= need) {
      allowed = true;
      t = t - need;
    } else {
      retry = Math.ceil((need - t) / limit) + skew;
    }
    let reset = Math.ceil((full - t) / limit);
    if (reset > 0) reset = reset + skew;
    return {
      outcome: { allowed, remaining: Math.floor(t / w), resetMs: reset, retryAfterMs: retry },
      state: reset > 0 ? { t, ts: now, w, l: limit } : undefined,
      ttlMs: reset,
    };
  },
  lua: `
local full = limit * window
local t = full
local ts = now
local v = redis.call('GET', key)
if v then
  local sw, sl
  t, ts, sw, sl = struct.unpack('<dddd', v)
  if sw ~= window then t = math.floor((t * window) / sw) end
  if sl ~= limit then t = math.max(0, t + (limit - sl) * window) end
end
local skew = 0
if now < ts then
  skew = ts - now
  now = ts
end
t = math.min(full, t + math.min(now - ts, window) * limit)
local need = cost * window
local allowed = 0
local retry = 0
if t >= need then
  allowed = 1
  t = t - need
else
  retry = math.ceil((need - t) / limit) + skew
end
local reset = math.ceil((full - t) / limit)
if reset > 0 then
  reset = reset + skew
  redis.call('SET', key, struct.pack('<dddd', t, now, window, limit), 'PX', reset + ttlPad)
elseif v then
  redis.call('DEL', key)
end
return allowed, math.floor(t / window), reset, retry
`,
};
