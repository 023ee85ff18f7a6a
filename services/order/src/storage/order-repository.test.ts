import { useRedisServer } from '@shipshape/test-harness/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { isIdempotencyKeyReusedError } from '@shipshape/service-kit';
import { isInvalidStatusTransitionError } from '../errors/invalid-status-transition-error.ts';
import { keyPrefix, keys } from './keys.ts';
import { OrderRepository, orderRequestHash, type OrderRepositoryOptions } from './order-repository.ts';
import { scanAllKeys, useRedisClients } from '@shipshape/service-kit/testing';

const redis = useRedisServer();
const client = useRedisClients(() => redis.url);

beforeEach(async () => {
  await client().flushall();
});

const repository = (options: Omit<OrderRepositoryOptions, 'redis'> = {}): OrderRepository =>
  new OrderRepository({ redis: client(), ...options });

const body = {
  userId: 'user-1',
  items: [
    { sku: 'SKU-1', quantity: 3, unitPriceCents: 1999 },
    { sku: 'SKU-2', quantity: 1, unitPriceCents: 500 },
  ],
};

/** The payloads in the outbox stream, oldest first. */
async function outbox(): Promise<unknown[]> {
  const entries = await client().xrange(keys.outbox, '-', '+');
  return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('payload') + 1]!) as unknown);
}

describe('createOrder', () => {
  it('stores a pending order with the server-computed total and returns it', async () => {
    const orders = repository({ now: () => Date.UTC(2026, 1, 3) });
    const { order, replayed } = await orders.createOrder(body);
    expect(replayed).toBe(false);
    expect(order).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      ...body,
      totalCents: 6497,
      status: 'pending',
      createdAt: '2026-02-03T00:00:00.000Z',
    });
    expect(await orders.getOrder(order.id)).toEqual(order);
  });

  it('appends the payment job to the outbox in the same step', async () => {
    const { order } = await repository({ currency: 'EUR' }).createOrder({
      ...body,
      traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    expect(await outbox()).toEqual([
      {
        orderId: order.id,
        amountCents: 6497,
        currency: 'EUR',
        traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      },
    ]);
  });

  it('stores only the known item fields', async () => {
    const extra = { ...body, items: [{ sku: 'A', quantity: 1, unitPriceCents: 1, note: 'x' }] };
    const { order } = await repository().createOrder(extra);
    expect((await repository().getOrder(order.id))?.items).toEqual([
      { sku: 'A', quantity: 1, unitPriceCents: 1 },
    ]);
  });

  it('answers the same order for the same Idempotency-Key and body, with no second outbox entry', async () => {
    const first = await repository().createOrder({ ...body, idempotencyKey: 'k-1' });
    const second = await repository().createOrder({ ...body, idempotencyKey: 'k-1' });
    expect(second).toEqual({ order: first.order, replayed: true });
    expect(await outbox()).toHaveLength(1);
  });

  it('shows the current status when an idempotent request is replayed later', async () => {
    const first = await repository().createOrder({ ...body, idempotencyKey: 'k-1' });
    await repository().setOrderStatus(first.order.id, 'pending', 'paid');
    const again = await repository().createOrder({ ...body, idempotencyKey: 'k-1' });
    expect(again.order).toEqual({ ...first.order, status: 'paid' });
  });

  it('rejects the same Idempotency-Key with a different body', async () => {
    await repository().createOrder({ ...body, idempotencyKey: 'k-1' });
    const error: unknown = await repository()
      .createOrder({ ...body, userId: 'user-2', idempotencyKey: 'k-1' })
      .catch((e: unknown) => e);
    expect(isIdempotencyKeyReusedError(error)).toBe(true);
    expect(await outbox()).toHaveLength(1);
  });

  it('creates exactly one order for 20 concurrent requests with one key on separate connections', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => repository().createOrder({ ...body, idempotencyKey: 'race' })),
    );
    expect(new Set(results.map((r) => r.order.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await outbox()).toHaveLength(1);
    const orderKeys = (await scanAllKeys(client())).filter((key) => key.startsWith(keys.order('')));
    expect(orderKeys).toHaveLength(1);
  });

  it('creates separate orders without an Idempotency-Key', async () => {
    const a = await repository().createOrder(body);
    const b = await repository().createOrder(body);
    expect(a.order.id).not.toBe(b.order.id);
    expect(await outbox()).toHaveLength(2);
  });

  it('rejects a total over maxTotalCents before writing anything', async () => {
    await expect(repository({ maxTotalCents: 6496 }).createOrder(body)).rejects.toThrow(RangeError);
    expect(await scanAllKeys(client())).toEqual([]);
  });

  it('writes neither the order nor the idempotency record when the outbox append would fail', async () => {
    // Corrupt the outbox so XADD, which follows the order write in the script, would hit WRONGTYPE.
    await client().set(keys.outbox, 'not a stream');
    for (const idempotencyKey of [undefined, 'k-1']) {
      const error: unknown = await repository()
        .createOrder({ ...body, idempotencyKey })
        .catch((e: unknown) => e);
      expect(String(error)).toMatch(/WRONGTYPE/);
    }
    expect(await scanAllKeys(client())).toEqual([keys.outbox]);
  });
});

describe('setOrderStatus', () => {
  it('moves pending to paid and returns the updated order', async () => {
    const { order } = await repository().createOrder(body);
    const result = await repository().setOrderStatus(order.id, 'pending', 'paid');
    expect(result).toEqual({ outcome: 'updated', order: { ...order, status: 'paid' } });
    expect((await repository().getOrder(order.id))?.status).toBe('paid');
  });

  it('reports a conflict and changes nothing when the order is not in the expected status', async () => {
    const { order } = await repository().createOrder(body);
    await repository().setOrderStatus(order.id, 'pending', 'payment_declined');
    const result = await repository().setOrderStatus(order.id, 'pending', 'paid');
    expect(result).toEqual({ outcome: 'conflict', order: { ...order, status: 'payment_declined' } });
  });

  it('lets exactly one of two racing outcomes win', async () => {
    const { order } = await repository().createOrder(body);
    const results = await Promise.all([
      repository().setOrderStatus(order.id, 'pending', 'paid'),
      repository().setOrderStatus(order.id, 'pending', 'payment_failed'),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['conflict', 'updated']);
  });

  it('allows payment_failed to paid for a dead-letter replay', async () => {
    const { order } = await repository().createOrder(body);
    await repository().setOrderStatus(order.id, 'pending', 'payment_failed');
    expect((await repository().setOrderStatus(order.id, 'payment_failed', 'paid')).outcome).toBe('updated');
  });

  it('rejects a transition the lifecycle does not have, without touching Redis', async () => {
    const { order } = await repository().createOrder(body);
    await repository().setOrderStatus(order.id, 'pending', 'paid');
    let caught: unknown;
    try {
      await repository().setOrderStatus(order.id, 'paid', 'pending');
    } catch (error) {
      caught = error;
    }
    expect(isInvalidStatusTransitionError(caught)).toBe(true);
    expect((await repository().getOrder(order.id))?.status).toBe('paid');
  });

  it('reports not_found for an unknown order', async () => {
    expect(await repository().setOrderStatus('missing', 'pending', 'paid')).toEqual({ outcome: 'not_found' });
  });
});

describe('reads and hashing', () => {
  it('returns undefined for an unknown order id', async () => {
    expect(await repository().getOrder('missing')).toBeUndefined();
  });

  it('hashes equal bodies equally whatever their key order, and different items differently', () => {
    const reordered = {
      items: body.items.map((i) => ({ unitPriceCents: i.unitPriceCents, quantity: i.quantity, sku: i.sku })),
      userId: 'user-1',
    };
    expect(orderRequestHash(reordered)).toBe(orderRequestHash(body));
    expect(orderRequestHash({ ...body, items: [...body.items].reverse() })).not.toBe(orderRequestHash(body));
  });
});

describe('options', () => {
  it.each([
    [{ currency: 'usd' }, /currency must be an ISO 4217 code, got "usd"/],
    [{ maxTotalCents: 1.5 }, /maxTotalCents must be .* got 1.5/],
    [{ idempotencyRetentionMs: -1 }, /idempotencyRetentionMs must be .* got -1/],
    [{ orderRetentionMs: 1.5 }, /orderRetentionMs must be .* got 1.5/],
    [
      { orderRetentionMs: 1_000, idempotencyRetentionMs: 2_000 },
      /idempotencyRetentionMs must be in \(0, orderRetentionMs = 1000\].* got 2000/,
    ],
    [{ orderRetentionMs: 1_000, idempotencyRetentionMs: 0 }, /never outlives its order, got 0/],
  ])('rejects %o at construction with a RangeError naming it', (options, message) => {
    expect(() => repository(options)).toThrow(message);
  });
});

describe('retention', () => {
  const day = 86_400_000;

  it('keeps pending and payment_failed orders without a TTL, and expires paid or declined ones after orderRetentionMs', async () => {
    const orders = repository({ orderRetentionMs: 7 * day, idempotencyRetentionMs: day });
    const [paid, declined, failed] = await Promise.all([1, 2, 3].map(() => orders.createOrder(body)));
    expect(await client().pttl(keys.order(paid!.order.id))).toBe(-1);
    await orders.setOrderStatus(paid!.order.id, 'pending', 'paid');
    await orders.setOrderStatus(declined!.order.id, 'pending', 'payment_declined');
    await orders.setOrderStatus(failed!.order.id, 'pending', 'payment_failed');
    for (const order of [paid!, declined!]) {
      const ttl = await client().pttl(keys.order(order.order.id));
      expect(ttl).toBeGreaterThan(7 * day - 60_000);
      expect(ttl).toBeLessThanOrEqual(7 * day);
    }
    expect(await client().pttl(keys.order(failed!.order.id))).toBe(-1);
    await orders.setOrderStatus(failed!.order.id, 'payment_failed', 'paid');
    expect(await client().pttl(keys.order(failed!.order.id))).toBeGreaterThan(7 * day - 60_000);
  });

  it('keeps an Idempotency-Key 24 hours by default, within the order it points at', async () => {
    const { order } = await repository().createOrder({ ...body, idempotencyKey: 'k-ttl' });
    const ttl = await client().pttl(keys.idempotency('k-ttl'));
    expect(ttl).toBeGreaterThan(day - 60_000);
    expect(ttl).toBeLessThanOrEqual(day);
    await repository().setOrderStatus(order.id, 'pending', 'paid');
    expect(await client().pttl(keys.order(order.id))).toBeGreaterThan(ttl);
  });

  it('keeps everything when both retentions are 0', async () => {
    const orders = repository({ orderRetentionMs: 0, idempotencyRetentionMs: 0 });
    const { order } = await orders.createOrder({ ...body, idempotencyKey: 'k-keep' });
    await orders.setOrderStatus(order.id, 'pending', 'paid');
    expect(await client().pttl(keys.order(order.id))).toBe(-1);
    expect(await client().pttl(keys.idempotency('k-keep'))).toBe(-1);
  });
});

describe('key layout', () => {
  it('writes only keys under the order: prefix', async () => {
    const { order } = await repository().createOrder({ ...body, idempotencyKey: 'k-1' });
    await repository().createOrder(body);
    await repository().setOrderStatus(order.id, 'pending', 'paid');
    const all = await scanAllKeys(client());
    expect(all).toHaveLength(4);
    expect(all.every((key) => key.startsWith(keyPrefix))).toBe(true);
  });
});
