import { useRedisCluster } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { createRedisClient, seedLookup } from '../src/redis/redis-client.ts';

const cluster = useRedisCluster();

it('keeps a seed that does not resolve as its name, and resolves the others', async () => {
  const lookup = (hostname: string): Promise<string> =>
    new Promise((resolve) => seedLookup(hostname, (_error, address) => resolve(address)));
  expect(await lookup('gone-node.invalid')).toBe('gone-node.invalid');
  expect(await lookup('localhost')).toMatch(/^(127\.0\.0\.1|::1)$/);
});

it('connects while one seed hostname no longer resolves (a node whose container is gone)', async () => {
  // ioredis alone resolves every seed with Promise.all: one NXDOMAIN fails every (re)connect.
  const seeds = ['gone-node.invalid:6379', ...cluster().seeds.split(',')].join(',');
  const client = createRedisClient(`redis-cluster://${seeds}`, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    await client.set('seed-test', '1');
    expect(await client.get('seed-test')).toBe('1');
    // A reconnect resolves the seeds again (what BullMQ's duplicated connections do after a failover).
    client.disconnect(true);
    await new Promise<void>((resolve) => client.once('ready', () => resolve()));
    expect(await client.get('seed-test')).toBe('1');
  } finally {
    client.disconnect();
  }
});
