// RedisSource on a real Redis Cluster (3 masters + 3 replicas): the override hash on one slot,
// the change notification through classic pub/sub, which the cluster broadcasts to every node.
import { waitFor } from '@shipshape/test-harness';
import { useRedisCluster } from '@shipshape/test-harness/vitest';
import { Cluster, type RedisOptions } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config.ts';
import { testSchema as schema } from '../test-support/schema.test-helper.ts';
import { defaultSources } from './default-sources.ts';
import { clearOverride, RedisSource, setOverride } from './redis-source.ts';

describe('RedisSource on a Redis Cluster', () => {
  const cluster = useRedisCluster();
  const configs: Config<typeof schema>[] = [];
  const clients: Cluster[] = [];
  const connect = (settings: RedisOptions = {}): Cluster => {
    const nodes = cluster()
      .seeds.split(',')
      .map((seed) => ({ host: '127.0.0.1', port: Number(seed.split(':')[1]) }));
    const client = new Cluster(nodes, { redisOptions: settings });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    await Promise.all(configs.splice(0).map((config) => config.close()));
    for (const client of clients.splice(0)) client.disconnect();
  });

  it('pushes setOverride and clearOverride to every replica', async () => {
    const start = async (): Promise<Config<typeof schema>> => {
      const config = await loadConfig({
        schema,
        sources: [
          ...defaultSources({ env: { DB__PASSWORD: 'correct-horse-battery' } }),
          new RedisSource({ redis: (settings) => connect(settings), service: 'payment' }),
        ],
        debounceMs: 20,
      });
      configs.push(config);
      return config;
    };
    const [a, b] = [await start(), await start()];
    const admin = connect({ maxRetriesPerRequest: null });
    await setOverride(admin, 'payment', 'chaos.errorRate', 0.5);
    await waitFor(
      'both replicas see 0.5',
      () => a.get('chaos.errorRate') === 0.5 && b.get('chaos.errorRate') === 0.5,
    );
    await clearOverride(admin, 'payment', 'chaos.errorRate');
    await waitFor(
      'both replicas are back to 0',
      () => a.get('chaos.errorRate') === 0 && b.get('chaos.errorRate') === 0,
    );
    expect(a.describe()['chaos.errorRate']?.source).not.toContain('redis');
  });
});
