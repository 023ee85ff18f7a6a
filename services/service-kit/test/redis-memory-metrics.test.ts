import { MetricsRegistry } from '@shipshape/observability/metrics';
import { parseExposition, samplesOf } from '@shipshape/test-harness/exposition';
import { useRedisCluster, useRedisServer } from '@shipshape/test-harness/vitest';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisClient, type RedisClient } from '../src/redis/redis-client.ts';
import { bridgeRedisMemory } from '../src/redis/redis-memory-metrics.ts';

const MiB = 1024 * 1024;
let client: RedisClient | undefined;
afterEach(() => client?.disconnect());

/** `redis_node` → value of one gauge in one scrape. */
type ByNode = Record<string, number>;

/** One scrape of a fresh registry bridged to `redis`: used and max bytes by `redis_node`. */
async function scrape(redis: RedisClient, timeoutMs?: number): Promise<{ used: ByNode; max: ByNode }> {
  const metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
  bridgeRedisMemory(redis, metrics, timeoutMs === undefined ? {} : { timeoutMs });
  const exposition = parseExposition(await metrics.render('prometheus'));
  const byNode = (name: string): ByNode =>
    Object.fromEntries(
      samplesOf(exposition, name, { service: 'order' }).map((s) => [s.labels['redis_node'] ?? '', s.value]),
    );
  return { used: byNode('redis_memory_used_bytes'), max: byNode('redis_memory_max_bytes') };
}

describe('bridgeRedisMemory on one node', () => {
  const redis = useRedisServer();

  it('exports used_memory and maxmemory of the node at every scrape, labelled with its host:port', async () => {
    const node = new Redis(redis.url);
    client = node;
    await node.config('SET', 'maxmemory', String(64 * MiB));
    const address = `127.0.0.1:${redis.port}`;
    const before = await scrape(node);
    await node.set('big', 'x'.repeat(1_000_000));
    const after = await scrape(node);
    expect(Object.keys(after.used)).toEqual([address]);
    expect(after.max).toEqual({ [address]: 64 * MiB });
    expect(after.used[address]! - before.used[address]!).toBeGreaterThan(1_000_000);
    await node.del('big');
    await node.config('SET', 'maxmemory', '0');
  });

  it('sends one INFO per scrape for both gauges', async () => {
    const node = new Redis(redis.url);
    client = node;
    await node.config('RESETSTAT');
    await scrape(node);
    const stats = await node.info('commandstats');
    expect(/^cmdstat_info:calls=(\d+),/m.exec(stats)?.[1]).toBe('1');
  });

  it('leaves the node out of a scrape while it does not answer, without holding the scrape', async () => {
    client = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    expect(await scrape(client, 100)).toEqual({ used: {}, max: {} });
  });

  it('refuses a timeout that is not a positive number, naming it', () => {
    const metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
    client = new Redis({ lazyConnect: true });
    expect(() => bridgeRedisMemory(client!, metrics, { timeoutMs: 0 })).toThrow(
      'timeoutMs must be a finite number > 0, got 0',
    );
  });
});

describe('bridgeRedisMemory on a Redis Cluster', () => {
  // A long node timeout: the test that pauses a master must not cause a failover.
  const cluster = useRedisCluster({ nodeTimeoutMs: 5_000 });
  const masterPorts = async (): Promise<number[]> =>
    (await cluster().topology()).filter((node) => node.role === 'master').map((node) => node.port);
  const connect = async (): Promise<RedisClient> => {
    client = createRedisClient(cluster().url);
    await client.ping(); // ready: the slot map, and so the masters, are known
    return client;
  };

  it('exports one series per master, each with its own maxmemory', async () => {
    const ports = await masterPorts();
    await Promise.all(
      ports.map((port, i) =>
        cluster().command(port, 'CONFIG', 'SET', 'maxmemory', String((i + 1) * 64 * MiB)),
      ),
    );
    try {
      const { used, max } = await scrape(await connect());
      expect(max).toEqual(
        Object.fromEntries(ports.map((port, i) => [`127.0.0.1:${port}`, (i + 1) * 64 * MiB])),
      );
      expect(Object.keys(used).sort()).toEqual(Object.keys(max).sort());
      for (const value of Object.values(used)) expect(value).toBeGreaterThan(0);
    } finally {
      await Promise.all(ports.map((port) => cluster().command(port, 'CONFIG', 'SET', 'maxmemory', '0')));
    }
  });

  it('leaves out a master that does not answer within timeoutMs and reports the others', async () => {
    const [paused, ...others] = await masterPorts();
    const redis = await connect();
    const server = cluster().nodes.find((node) => node.port === paused)!;
    server.pause();
    try {
      const { used, max } = await scrape(redis, 300);
      const expected = others.map((port) => `127.0.0.1:${port}`).sort();
      expect(Object.keys(used).sort()).toEqual(expected);
      expect(Object.keys(max).sort()).toEqual(expected);
    } finally {
      server.resume();
    }
  });
});
