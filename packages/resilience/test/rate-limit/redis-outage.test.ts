// Redis outages against a real redis-server: killed (connection refused while it is down) and
// paused (SIGSTOP: connected but silent, the case only a timeout can bound).
import { waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Redis, type RedisOptions } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RedisRateLimiter,
  rateLimitRedisOptions,
  type RateLimitDegradedEvent,
  type RedisRateLimiterOptions,
} from '../../src/rate-limit/index.ts';

const redis = useRedisServer();
const clients: Redis[] = [];
// Bounds are correctness bounds (no hang until a reconnect or command timeout), not
// performance claims: the slack absorbs a loaded 2-core CI box.
const timeoutMs = 100;
const slackMs = 900;

afterEach(async () => {
  redis.resume();
  await redis.start();
  for (const client of clients.splice(0)) client.disconnect();
});

async function connect(options: RedisOptions = rateLimitRedisOptions()): Promise<Redis> {
  const client = new Redis(redis.url, { ...options, lazyConnect: true });
  client.on('error', () => undefined);
  clients.push(client);
  await client.connect();
  return client;
}

let run = 0;
function limiter(client: Redis, options: Partial<RedisRateLimiterOptions>): RedisRateLimiter {
  run += 1;
  return new RedisRateLimiter({
    client,
    name: `outage${run}`,
    algorithm: 'token-bucket',
    limit: 10,
    windowMs: 600_000,
    timeoutMs,
    recoveryProbeMs: 100,
    ...options,
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

describe('RedisRateLimiter during a Redis outage', () => {
  it("fail mode 'open' admits while Redis is down, flags degraded, and returns to Redis after a restart", async () => {
    const client = await connect();
    const limit = limiter(client, { failMode: 'open' });
    const events: RateLimitDegradedEvent[] = [];
    limit.onDegraded((event) => events.push(event));
    expect((await limit.consume('k', 4)).remaining).toBe(6);

    await redis.kill();
    const during = await timed(() => limit.consume('k', 10));
    expect(during.value).toMatchObject({ allowed: true, limit: 10 });
    expect(during.ms).toBeLessThan(timeoutMs + slackMs);
    expect(limit.degraded).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ name: limit.name, degraded: true });
    expect(events[0]!.error).toBeInstanceOf(Error);

    await redis.start(); // empty dataset and no scripts: the next EVALSHA gets NOSCRIPT
    await waitFor('the client to reconnect', () => client.status === 'ready');
    await waitFor('the limiter to return to Redis', async () => {
      await limit.consume('probe');
      return !limit.degraded;
    });
    expect(events.map((e) => e.degraded)).toEqual([true, false]);
    // Decided by Redis again: the fresh server holds the key with a TTL.
    expect((await limit.consume('k', 3)).remaining).toBe(7);
    expect(await client.pttl(limit.redisKeys('k')[0]!)).toBeGreaterThan(0);
  });

  it("fail mode 'closed' rejects within the timeout while Redis is frozen", async () => {
    const client = await connect();
    let sent = 0;
    const calls = (): number => sent;
    const counting = new Proxy(client, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const bound = (value as (...args: unknown[]) => unknown).bind(target);
        if (property !== 'evalshaBuffer') return bound;
        return (...args: unknown[]) => {
          sent += 1;
          return bound(...args);
        };
      },
    });
    const limit = limiter(counting, { failMode: 'closed', recoveryProbeMs: 5000 });
    expect((await limit.consume('k')).allowed).toBe(true);
    redis.pause();
    const during = await timed(() => limit.consume('k'));
    expect(during.value.allowed).toBe(false);
    expect(during.value.retryAfterMs).toBeGreaterThan(0);
    expect(during.ms).toBeGreaterThanOrEqual(timeoutMs - 5);
    expect(during.ms).toBeLessThan(timeoutMs + slackMs);
    expect(limit.degraded).toBe(true);
    // Until the next probe, decisions answer from the fail mode without asking Redis at all.
    const before = calls();
    expect((await limit.consume('k')).allowed).toBe(false);
    expect((await limit.consume('k')).allowed).toBe(false);
    expect(calls()).toBe(before);
  });

  it("fail mode 'local' splits the limit across the expected replicas", async () => {
    const client = await connect();
    const limit = limiter(client, { failMode: 'local', expectedReplicas: 2 });
    await redis.kill();
    const decisions = [];
    for (let i = 0; i < 7; i++) decisions.push(await limit.consume('k'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(decisions[5]).toMatchObject({ limit: 10, remaining: 0 });
    expect(decisions[5]!.retryAfterMs).toBeGreaterThan(0);
    expect(limit.degraded).toBe(true);
  });

  it('never lets a decision hang on a frozen Redis, even with many in flight', async () => {
    const client = await connect();
    const limit = limiter(client, { failMode: 'open', recoveryProbeMs: 1 });
    await limit.consume('warm');
    redis.pause();
    const start = performance.now();
    const decisions = await Promise.all(Array.from({ length: 50 }, (_, i) => limit.consume(`k${i % 5}`)));
    expect(performance.now() - start).toBeLessThan(timeoutMs + slackMs);
    expect(decisions.every((d) => d.allowed)).toBe(true);
    redis.resume();
    await waitFor('the limiter to return to Redis', async () => {
      await limit.consume('probe');
      return !limit.degraded;
    });
  });

  it('returns to Redis after a freeze ends', async () => {
    const client = await connect();
    const limit = limiter(client, { failMode: 'closed' });
    const events: boolean[] = [];
    limit.onDegraded((event) => events.push(event.degraded));
    redis.pause();
    await limit.consume('k');
    expect(limit.degraded).toBe(true);
    redis.resume();
    await waitFor('the limiter to return to Redis', async () => {
      await limit.consume('k');
      return !limit.degraded;
    });
    expect(events).toEqual([true, false]);
  });

  it('replays nothing after an outage with the recommended client options', async () => {
    const client = await connect(rateLimitRedisOptions());
    const limit = limiter(client, { failMode: 'open', localRejections: false });
    await redis.kill();
    for (let i = 0; i < 5; i++) await limit.consume('k');
    await redis.start();
    await waitFor('the client to reconnect', () => client.status === 'ready');
    await waitFor('the limiter to return to Redis', async () => {
      await limit.consume('probe');
      return !limit.degraded;
    });
    // Only this decision reached the fresh server: nothing sent during the outage was queued.
    expect((await limit.consume('k')).remaining).toBe(9);
  });

  it('fails fast instead of queueing even on a client with the offline queue on', async () => {
    // ioredis defaults: offline queue on, 20 retries per request. The limiter's status guard
    // still refuses to queue a decision while the client reconnects.
    const client = await connect({ retryStrategy: () => 50 });
    const limit = limiter(client, { failMode: 'open', localRejections: false });
    await limit.consume('warm');
    await redis.kill();
    await waitFor('the client to notice', () => client.status !== 'ready');
    const during = await timed(() => limit.consume('k'));
    expect(during.value.allowed).toBe(true);
    expect(during.ms).toBeLessThan(timeoutMs + slackMs);
    await redis.start();
    await waitFor('the client to reconnect', () => client.status === 'ready');
    await waitFor('the limiter to return to Redis', async () => {
      await limit.consume('probe');
      return !limit.degraded;
    });
    expect((await limit.consume('k')).remaining).toBe(9);
  });
});
