import { MetricsRegistry } from '@shipshape/observability/metrics';
import { parseExposition, samplesOf } from '@shipshape/test-harness/exposition';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { bridgeRedisMemory } from '../src/redis/redis-memory-metrics.ts';

const redis = useRedisServer();
let client: Redis | undefined;
afterEach(() => client?.disconnect());

/** The value of an unlabelled-but-`service` sample in a text exposition, or undefined. */
const sample = (text: string, name: string): number | undefined => {
  const [found] = samplesOf(parseExposition(text), name, { service: 'order' });
  return found?.value;
};

describe('bridgeRedisMemory', () => {
  it('exports used_memory and maxmemory of the Redis at every scrape', async () => {
    client = new Redis(redis.url);
    await client.config('SET', 'maxmemory', String(64 * 1024 * 1024));
    const metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
    bridgeRedisMemory(client, metrics);
    const before = sample(await metrics.render('prometheus'), 'redis_memory_used_bytes');
    await client.set('big', 'x'.repeat(1_000_000));
    const text = await metrics.render('prometheus');
    expect(sample(text, 'redis_memory_max_bytes')).toBe(64 * 1024 * 1024);
    expect(sample(text, 'redis_memory_used_bytes')! - before!).toBeGreaterThan(1_000_000);
    await client.config('SET', 'maxmemory', '0');
  });

  it('reads 0 in a scrape while Redis does not answer, without holding the scrape', async () => {
    client = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
    bridgeRedisMemory(client, metrics, { timeoutMs: 100 });
    const text = await metrics.render('prometheus');
    expect(sample(text, 'redis_memory_used_bytes')).toBe(0);
    expect(sample(text, 'redis_memory_max_bytes')).toBe(0);
  });
});
