import { clusterPaymentKeys, nodePaymentKeys, type PaymentKeyLayout } from '@shipshape/payment-service';
import { isClusterClient, uuidV7, type RedisClient } from '@shipshape/service-kit';
import { useRedisCluster, useRedisServer } from '@shipshape/test-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBenchClient, masterNodes } from './bench-redis.ts';
import { finishedChargesSince, ordersChargedMoreThanOnce, quantile } from './paid-lag.ts';

/** Writes the payment service's order → payments index by hand: `payments[k]` ids in partition k. */
async function indexPayments(
  client: RedisClient,
  layout: PaymentKeyLayout,
  orderId: string,
  payments: readonly number[],
): Promise<void> {
  for (const [partition, count] of payments.entries()) {
    for (let i = 0; i < count; i++)
      await client.zadd(layout.orderPayments(orderId, partition), 0, `${orderId}-p${partition}-${i}`);
  }
}

describe('paid-lag read-outs on a Redis Cluster', () => {
  const cluster = useRedisCluster();
  let client: RedisClient;
  beforeAll(async () => {
    client = await connectBenchClient(cluster().url);
  });
  afterAll(() => client.disconnect());

  it('counts an order as charged more than once when its payments sum to 2+ over the partitions', async () => {
    const [once, spread, twiceInOne, none] = ['once', 'spread', 'twice', 'none'].map(
      (name) => `order-${name}`,
    );
    await indexPayments(client, clusterPaymentKeys, once!, [1]);
    await indexPayments(client, clusterPaymentKeys, spread!, [0, 0, 1, 0, 0, 1]);
    await indexPayments(client, clusterPaymentKeys, twiceInOne!, [0, 0, 0, 2]);
    expect(await ordersChargedMoreThanOnce(client, [once!, spread!, twiceInOne!, none!])).toBe(2);
  });

  it('finds the completed set of the payment queue on whichever master holds it', async () => {
    expect(isClusterClient(client)).toBe(true);
    const masters = masterNodes(client);
    expect(masters).toHaveLength(3);
    const since = Date.now() - 10_000;
    const early = uuidV7(since - 50);
    const first = uuidV7(since + 100);
    const second = uuidV7(since + 200);
    // One hash tag per master, so that a SCAN of any single node would miss two of the three.
    for (const master of masters) {
      const tag = await tagOn(client, `${master.options.host}:${master.options.port}`);
      const key = `order:{${tag}}:payments:completed`;
      await client.zadd(key, since + 100, early, since + 600, first, since + 1_200, second);
      expect(await finishedChargesSince(client, since)).toEqual({
        orderIds: [first, second],
        lagsMs: [500, 1_000],
      });
      await client.del(key);
    }
  });
});

/** A hash tag whose slot the master at `node` (`host:port`) serves. */
async function tagOn(client: RedisClient, node: string): Promise<string> {
  if (!isClusterClient(client)) throw new Error('not a cluster client');
  for (let i = 0; ; i++) {
    const slot = Number(await client.cluster('KEYSLOT', `{t${i}}`));
    if (client.slots[slot]?.[0] === node) return `t${i}`;
  }
}

describe('ordersChargedMoreThanOnce on one node', () => {
  const redis = useRedisServer();
  let client: RedisClient;
  beforeAll(async () => {
    client = await connectBenchClient(redis.url);
  });
  afterAll(() => client.disconnect());

  it('reads payment:order:<orderId>', async () => {
    await indexPayments(client, nodePaymentKeys, 'order-a', [1]);
    await indexPayments(client, nodePaymentKeys, 'order-b', [2]);
    expect(nodePaymentKeys.orderPayments('order-b', 0)).toBe('payment:order:order-b');
    expect(await ordersChargedMoreThanOnce(client, ['order-a', 'order-b', 'order-c'])).toBe(1);
  });
});

describe('quantile', () => {
  it('takes the nearest rank of an ascending list, NaN when empty', () => {
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(20);
    expect(quantile([10, 20, 30, 40], 0.99)).toBe(40);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
