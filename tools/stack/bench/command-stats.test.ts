import type { RedisClient } from '@shipshape/service-kit';
import { useRedisCluster } from '@shipshape/test-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBenchClient } from './bench-redis.ts';
import { commandsPerOrder, parseCommandStats, redisCommandCalls, sumCommandCalls } from './command-stats.ts';

describe('parseCommandStats', () => {
  it('reads the calls of every command line, subcommands included', () => {
    const info = [
      '# Commandstats',
      'cmdstat_get:calls=12,usec=30,usec_per_call=2.50,rejected_calls=0,failed_calls=0',
      'cmdstat_client|setname:calls=3,usec=4,usec_per_call=1.33,rejected_calls=0,failed_calls=0',
      'cmdstat_evalsha:calls=7,usec=700,usec_per_call=100.00,rejected_calls=1,failed_calls=0',
      '',
    ].join('\r\n');
    expect(parseCommandStats(info)).toEqual({ get: 12, 'client|setname': 3, evalsha: 7 });
  });
});

describe('sumCommandCalls', () => {
  it('adds each command over the nodes, counting a command missing on a node as 0', () => {
    expect(sumCommandCalls([{ get: 2, set: 1 }, { get: 3 }, { zadd: 4 }])).toEqual({
      get: 5,
      set: 1,
      zadd: 4,
    });
  });
});

describe('commandsPerOrder', () => {
  it('divides the calls between two readings by the orders, largest first, below 0.01 left out', () => {
    const perOrder = commandsPerOrder(
      { get: 100, set: 10, ping: 5 },
      { get: 300, set: 410, ping: 5, zadd: 1 },
      200,
    );
    expect(perOrder).toEqual({ set: 2, get: 1, zadd: 0.01 });
    expect(Object.keys(perOrder)).toEqual(['set', 'get', 'zadd']);
  });
});

describe('redisCommandCalls on a Redis Cluster', () => {
  const cluster = useRedisCluster();
  let client: RedisClient;
  beforeAll(async () => {
    client = await connectBenchClient(cluster().url);
  });
  afterAll(() => client.disconnect());

  it('sums the masters and leaves the replicas out', async () => {
    const before = await redisCommandCalls(client);
    // 60 keys spread over the slots of all three masters; each write reaches a replica too.
    await Promise.all(Array.from({ length: 60 }, (_, i) => client.set(`bench-stat-${i}`, 'x')));
    const after = await redisCommandCalls(client);
    expect((after.set ?? 0) - (before.set ?? 0)).toBe(60);
  });
});
