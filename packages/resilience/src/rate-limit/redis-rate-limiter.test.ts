import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { algorithmCases, runCase, T0 } from './algorithm-cases.test-helper.ts';
import { MemoryRateLimiter } from './memory-rate-limiter.ts';
import { rateLimitRedisOptions } from './redis-client-options.ts';
import { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.ts';
import { rateLimitAlgorithms, type RateLimitDecision } from './rate-limiter.ts';

const redis = useRedisServer();
let client: Redis;
let run = 0;

beforeAll(async () => {
  client = new Redis(redis.url, { ...rateLimitRedisOptions(), lazyConnect: true });
  client.on('error', () => undefined);
  await client.connect();
});

afterAll(() => {
  client.disconnect();
});

/** A limiter on a fresh key space, so tests never see each other's keys. */
function limiter(
  options: Omit<RedisRateLimiterOptions, 'client' | 'keyPrefix'> & { client?: Redis },
): RedisRateLimiter {
  run += 1;
  return new RedisRateLimiter({ client, keyPrefix: `t${run}:`, ...options });
}

/** The shared client, counting EVALSHA calls, optionally posing as a Cluster. */
function countingClient(extra: { isCluster?: boolean } = {}): { client: Redis; calls: () => number } {
  let calls = 0;
  const counting = new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'isCluster' && extra.isCluster !== undefined) return extra.isCluster;
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(target);
      if (property !== 'evalshaBuffer') return bound;
      return (...args: unknown[]) => {
        calls += 1;
        return bound(...args);
      };
    },
  });
  return { client: counting, calls: () => calls };
}

describe.each(rateLimitAlgorithms)('RedisRateLimiter %s (test clock)', (algorithm) => {
  for (const testCase of algorithmCases.filter((c) => c.algorithm === algorithm)) {
    it(testCase.title, async () => {
      let now = T0;
      const limit = limiter({ ...testCase, testClock: () => now, localRejections: false });
      const { actual, expected } = await runCase(
        testCase,
        (ms) => (now = ms),
        (cost) => limit.consume('k', cost),
      );
      expect(actual).toEqual(expected);
    });
  }

  it('decides exactly like the memory limiter over a long random sequence', async () => {
    let seed = rateLimitAlgorithms.indexOf(algorithm) + 1;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    let now = T0;
    const options = { algorithm, limit: 7, windowMs: 1000 };
    const memory = new MemoryRateLimiter({ ...options, clock: () => now });
    const onRedis = limiter({ ...options, testClock: () => now, localRejections: false });
    const fromMemory: RateLimitDecision[] = [];
    const fromRedis: RateLimitDecision[] = [];
    for (let i = 0; i < 400; i++) {
      // Mostly small steps, some idle gaps, a few steps back in time (a replica's clock).
      const r = random();
      now +=
        r < 0.05
          ? -Math.floor(random() * 300)
          : r < 0.1
            ? Math.floor(random() * 3000)
            : Math.floor(random() * 120);
      const key = random() < 0.8 ? 'hot' : 'cold';
      const cost = 1 + Math.floor(random() * 3);
      if (i === 200) {
        memory.setLimits({ limit: 5, windowMs: 700 });
        onRedis.setLimits({ limit: 5, windowMs: 700 });
      }
      fromMemory.push(await memory.consume(key, cost));
      fromRedis.push(await onRedis.consume(key, cost));
    }
    expect(fromRedis).toEqual(fromMemory);
    expect(fromMemory.filter((d) => d.allowed).length).toBeGreaterThan(50);
    expect(fromMemory.filter((d) => !d.allowed).length).toBeGreaterThan(50);
  });

  it("uses the Redis server's clock and gives every key a TTL no longer than its reset", async () => {
    const limit = limiter({ algorithm, limit: 3, windowMs: 60_000 });
    const decision = await limit.consume('user-1', 2);
    expect(decision.allowed).toBe(true);
    for (const key of limit.redisKeys('user-1')) {
      const ttl = await client.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(Math.max(decision.resetMs, 1));
    }
  });
});

describe('RedisRateLimiter', () => {
  it('puts every key of one user under the same {hash tag}', () => {
    const limit = new RedisRateLimiter({
      client,
      name: 'api',
      algorithm: 'sliding-window-log',
      limit: 1,
      windowMs: 1,
    });
    expect(limit.redisKeys('user:7')).toEqual([
      'rl:api:sliding-window-log:{user:7}:log',
      'rl:api:sliding-window-log:{user:7}:meta',
    ]);
  });

  it('reloads its script after SCRIPT FLUSH (the NOSCRIPT path)', async () => {
    const limit = limiter({ algorithm: 'gcra', limit: 5, windowMs: 60_000 });
    expect((await limit.consume('a')).remaining).toBe(4);
    await client.script('FLUSH');
    expect((await limit.consume('a')).remaining).toBe(3);
    expect(limit.degraded).toBe(false);
  });

  it('decides through callBuffer on a client without evalshaBuffer, NOSCRIPT path included', async () => {
    const plain: RedisRateLimiterOptions['client'] = {
      status: 'ready',
      callBuffer: (command, args) => client.callBuffer(command, args),
    };
    const limit = limiter({ client: plain as Redis, algorithm: 'token-bucket', limit: 5, windowMs: 60_000 });
    expect((await limit.consume('a', 2)).remaining).toBe(3);
    await client.script('FLUSH');
    expect((await limit.consume('a')).remaining).toBe(2);
    expect(limit.degraded).toBe(false);
  });

  it('works on an auto-pipelining client with many concurrent decisions', async () => {
    const pipelined = new Redis(redis.url, { enableAutoPipelining: true, lazyConnect: true });
    pipelined.on('error', () => undefined);
    await pipelined.connect();
    try {
      const limit = limiter({ client: pipelined, algorithm: 'token-bucket', limit: 50, windowMs: 600_000 });
      const decisions = await Promise.all(Array.from({ length: 120 }, () => limit.consume('burst')));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(50);
      expect(pipelined.autoPipelineQueueSize).toBe(0);
    } finally {
      pipelined.disconnect();
    }
  });

  it('answers a key known to be over its limit locally until its retry time', async () => {
    const { client: counting, calls } = countingClient();
    const limit = limiter({ client: counting, algorithm: 'fixed-window', limit: 2, windowMs: 600_000 });
    await limit.consume('k', 2);
    const first = await limit.consume('k');
    expect(first.allowed).toBe(false);
    expect(calls()).toBe(2);
    const local = await Promise.all([limit.consume('k'), limit.consume('k', 2), limit.consume('k')]);
    expect(local.map((d) => d.allowed)).toEqual([false, false, false]);
    expect(local[0].retryAfterMs).toBeGreaterThan(0);
    expect(local[0].retryAfterMs).toBeLessThanOrEqual(first.retryAfterMs);
    expect(calls()).toBe(2);
  });

  it('sends the decisions of one tick as one script call, decided in order', async () => {
    const { client: counting, calls } = countingClient();
    const limit = limiter({ client: counting, algorithm: 'fixed-window', limit: 5, windowMs: 600_000 });
    const decisions = await Promise.all(Array.from({ length: 8 }, () => limit.consume('k')));
    expect(calls()).toBe(1);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0, 0]);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false, false]);
  });

  it('splits batches at batchSize', async () => {
    const { client: counting, calls } = countingClient();
    const limit = limiter({
      client: counting,
      algorithm: 'gcra',
      limit: 100,
      windowMs: 600_000,
      batchSize: 3,
    });
    await Promise.all(Array.from({ length: 7 }, (_, i) => limit.consume(`k${i}`)));
    expect(calls()).toBe(3);
  });

  it('never batches on a Cluster client, whose keys live in many slots', async () => {
    const { client: counting, calls } = countingClient({ isCluster: true });
    const limit = limiter({ client: counting, algorithm: 'gcra', limit: 100, windowMs: 600_000 });
    await Promise.all(Array.from({ length: 4 }, (_, i) => limit.consume(`k${i}`)));
    expect(calls()).toBe(4);
  });

  it('asks Redis again for a smaller cost than the cached rejection', async () => {
    const limit = limiter({ algorithm: 'token-bucket', limit: 4, windowMs: 600_000 });
    await limit.consume('k', 3);
    expect((await limit.consume('k', 2)).allowed).toBe(false);
    expect((await limit.consume('k', 1)).allowed).toBe(true);
  });

  it('forgets cached rejections when the limits change', async () => {
    const limit = limiter({ algorithm: 'fixed-window', limit: 1, windowMs: 600_000 });
    await limit.consume('k');
    expect((await limit.consume('k')).allowed).toBe(false);
    limit.setLimits({ limit: 2 });
    expect(await limit.consume('k')).toMatchObject({ allowed: true, limit: 2, remaining: 0 });
  });

  it('emits a decision event for every decision, local or not', async () => {
    const limit = limiter({ name: 'inbound', algorithm: 'gcra', limit: 1, windowMs: 600_000 });
    const events: unknown[] = [];
    limit.onDecision((event) => events.push(event));
    await limit.consume('k');
    await limit.consume('k');
    await limit.consume('k');
    await limit.consume('k', 2);
    expect(events).toEqual([
      { name: 'inbound', allowed: true },
      { name: 'inbound', allowed: false },
      { name: 'inbound', allowed: false },
      { name: 'inbound', allowed: false },
    ]);
  });

  it.each<[Partial<RedisRateLimiterOptions>, string]>([
    [{ timeoutMs: 0 }, 'timeoutMs must be a positive number, got 0'],
    [{ expectedReplicas: 1.5 }, 'expectedReplicas must be a positive integer, got 1.5'],
    [{ failMode: 'maybe' as 'open' }, "failMode must be 'open', 'closed' or 'local', got maybe"],
    [{ keyPrefix: 'a{' }, 'keyPrefix must not contain {'],
    [{ client: {} as Redis }, 'client must be a Redis client with callBuffer'],
  ])('rejects bad options %o at construction', (bad, message) => {
    expect(() => new RedisRateLimiter({ client, algorithm: 'gcra', limit: 1, windowMs: 1, ...bad })).toThrow(
      message,
    );
  });
});
