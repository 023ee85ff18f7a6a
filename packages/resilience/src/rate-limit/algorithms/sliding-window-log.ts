import type { Algorithm } from './algorithm.ts';

/**
 * The admitted requests of the last window, oldest first: times `t` and costs `c` from index
 * `head` on (a queue without shifting), and their total `sum`.
 */
export interface SlidingWindowLogState {
  t: number[];
  c: number[];
  head: number;
  sum: number;
}

/**
 * Sliding window log: exact — admits when the costs of requests admitted in
 * `(now − windowMs, now]` plus `cost` stay within `limit`. Memory and Redis hold one entry per
 * admitted request (Redis: a sorted set scored by time, plus a hash with the running sum).
 */
export const slidingWindowLog: Algorithm<SlidingWindowLogState> = {
  name: 'sliding-window-log',
  luaParams: ['log', 'meta'],
  keySuffixes: [':log', ':meta'],
  step(state, { now, cost, limit, windowMs: w }) {
    const s = state ?? { t: [], c: [], head: 0, sum: 0 };
    let skew = 0;
    const newest = s.t.length > s.head ? s.t[s.t.length - 1]! : undefined;
    if (newest !== undefined && newest > now) {
      skew = newest - now;
      now = newest;
    }
    while (s.head < s.t.length && s.t[s.head]! <= now - w) {
      s.sum = s.sum - s.c[s.head]!;
      s.head = s.head + 1;
    }
    if (s.head > 1024 && s.head * 2 > s.t.length) {
      s.t = s.t.slice(s.head);
      s.c = s.c.slice(s.head);
      s.head = 0;
    }
    let allowed = false;
    let retry = 0;
    if (s.sum + cost <= limit) {
      allowed = true;
      s.t.push(now);
      s.c.push(cost);
      s.sum = s.sum + cost;
    } else {
      const need = s.sum + cost - limit;
      let freed = 0;
      for (let i = s.head; i < s.t.length; i++) {
        freed = freed + s.c[i]!;
        if (freed >= need) {
          retry = s.t[i]! + w - now + skew;
          break;
        }
      }
    }
    const last = s.t.length > s.head ? s.t[s.t.length - 1]! : undefined;
    const reset = s.sum > 0 && last !== undefined ? last + w - now + skew : 0;
    return {
      outcome: { allowed, remaining: Math.max(0, limit - s.sum), resetMs: reset, retryAfterMs: retry },
      state: reset > 0 ? s : undefined,
      ttlMs: reset,
    };
  },
  lua: `
local sum = tonumber(redis.call('HGET', meta, 'sum') or '0')
local skew = 0
local newest = redis.call('ZRANGE', log, -1, -1, 'WITHSCORES')
local last = nil
if newest[2] then
  last = tonumber(newest[2])
  if last > now then
    skew = last - now
    now = last
  end
end
local old = redis.call('ZRANGEBYSCORE', log, '-inf', now - window)
if #old > 0 then
  for i = 1, #old do
    sum = sum - tonumber(string.match(old[i], ':(%d+)$'))
  end
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
end
local allowed = 0
local retry = 0
if sum + cost <= limit then
  allowed = 1
  local seq = redis.call('HINCRBY', meta, 'seq', 1)
  redis.call('ZADD', log, now, seq .. ':' .. cost)
  sum = sum + cost
  last = now
else
  local need = sum + cost - limit
  local entries = redis.call('ZRANGE', log, 0, need - 1, 'WITHSCORES')
  local freed = 0
  for i = 1, #entries, 2 do
    freed = freed + tonumber(string.match(entries[i], ':(%d+)$'))
    if freed >= need then
      retry = tonumber(entries[i + 1]) + window - now + skew
      break
    end
  end
end
local reset = 0
if sum > 0 and last ~= nil then reset = last + window - now + skew end
if reset > 0 then
  redis.call('HSET', meta, 'sum', sum)
  redis.call('PEXPIRE', log, reset + ttlPad)
  redis.call('PEXPIRE', meta, reset + ttlPad)
else
  redis.call('DEL', log, meta)
end
return allowed, math.max(0, limit - sum), reset, retry
`,
};
