import { setTimeout as sleep } from 'node:timers/promises';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { keyPrefix, keys } from './keys.ts';
import { OrderRepository } from './order-repository.ts';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.ts';
import type { PaymentJob } from './payment-job.ts';
import { scanAllKeys, useRedisClients } from '@shipshape/service-kit/testing';

const redis = useRedisServer();
const client = useRedisClients(() => redis.url);

beforeEach(async () => {
  await client().flushall();
});

const body = { userId: 'user-1', items: [{ sku: 'A', quantity: 2, unitPriceCents: 150 }] };

async function createOrders(count: number): Promise<string[]> {
  const orders = new OrderRepository({ redis: client() });
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push((await orders.createOrder(body)).order.id);
  return ids;
}

/** An enqueue that records order ids into `into`. */
const collect =
  (into: string[]) =>
  (job: PaymentJob): Promise<void> => {
    into.push(job.orderId);
    return Promise.resolve();
  };

/** An enqueue that fails on its first call and succeeds after, counting calls in `calls`. */
const failOnce = (calls: { count: number }) => (): Promise<void> => {
  calls.count += 1;
  return calls.count === 1 ? Promise.reject(new Error('queue unavailable')) : Promise.resolve();
};

function relay(
  enqueue: (job: PaymentJob) => Promise<void>,
  options: Partial<Omit<OutboxRelayOptions, 'redis' | 'enqueue'>> = {},
): OutboxRelay {
  return new OutboxRelay({ redis: client(), enqueue, consumer: 'relay-a', ...options });
}

describe('relayOnce', () => {
  it('hands every outbox entry to the queue once and empties the stream', async () => {
    const ids = await createOrders(5);
    const enqueued: PaymentJob[] = [];
    const relayed = await relay((job) => {
      enqueued.push(job);
      return Promise.resolve();
    }).relayOnce();
    expect(relayed).toBe(5);
    expect(enqueued.map((job) => job.orderId)).toEqual(ids);
    expect(enqueued[0]).toEqual({ orderId: ids[0], amountCents: 300, currency: 'USD' });
    expect(await client().xlen(keys.outbox)).toBe(0);
  });

  it('hands a whole read to enqueueMany in one call and acknowledges it in one MULTI', async () => {
    const ids = await createOrders(7);
    const batches: string[][] = [];
    const outbox = new OutboxRelay({
      redis: client(),
      enqueue: () => Promise.reject(new Error('enqueue is not used when enqueueMany is given')),
      enqueueMany: (jobs) => {
        batches.push(jobs.map((job) => job.orderId));
        return Promise.resolve();
      },
      consumer: 'relay-a',
      batchSize: 5,
    });
    expect(await outbox.relayOnce()).toBe(5);
    expect(await outbox.relayOnce()).toBe(2);
    expect(batches).toEqual([ids.slice(0, 5), ids.slice(5)]);
    expect(await client().xlen(keys.outbox)).toBe(0);
    expect(await client().xpending(keys.outbox, 'payments-relay')).toEqual([0, null, null, null]);
  });

  it('keeps a whole batch whose enqueueMany failed and delivers it again on the next step', async () => {
    const ids = await createOrders(3);
    const batches: string[][] = [];
    const outbox = new OutboxRelay({
      redis: client(),
      enqueue: () => Promise.resolve(),
      enqueueMany: (jobs) => {
        batches.push(jobs.map((job) => job.orderId));
        return batches.length === 1 ? Promise.reject(new Error('queue unavailable')) : Promise.resolve();
      },
      consumer: 'relay-a',
    });
    await expect(outbox.relayOnce()).rejects.toThrow('queue unavailable');
    expect(await client().xlen(keys.outbox)).toBe(3);
    expect(await outbox.relayOnce()).toBe(3);
    expect(batches).toEqual([ids, ids]);
    expect(await client().xlen(keys.outbox)).toBe(0);
  });

  it('returns 0 when there is nothing to relay', async () => {
    expect(await relay(() => Promise.resolve()).relayOnce()).toBe(0);
  });

  it('keeps an entry whose enqueue failed and relays it on the next step (at least once)', async () => {
    const [id] = await createOrders(1);
    const calls = { count: 0 };
    const outbox = relay(failOnce(calls));
    await expect(outbox.relayOnce()).rejects.toThrow('queue unavailable');
    expect(await client().xlen(keys.outbox)).toBe(1);
    expect(await outbox.relayOnce()).toBe(1);
    expect(calls.count).toBe(2);
    expect(id).toBeDefined();
    expect(await client().xlen(keys.outbox)).toBe(0);
  });

  it('takes over the entries of a relay that died after reading them, once they are idle', async () => {
    const ids = await createOrders(3);
    // Relay A reads the entries, then hangs in enqueue forever: a process that died mid-step.
    let readByA = false;
    const hang = (): Promise<void> => {
      readByA = true;
      return new Promise(() => {});
    };
    void relay(hang, { consumer: 'relay-a' }).relayOnce();
    await vi.waitFor(() => expect(readByA).toBe(true), { timeout: 5_000 });
    const enqueued: string[] = [];
    const relayB = relay(collect(enqueued), {
      consumer: 'relay-b',
      claimIdleMs: 1000,
    });
    expect(await relayB.relayOnce()).toBe(0);
    // Kept real: the entries must be idle for claimIdleMs by Redis's own clock (XAUTOCLAIM).
    await sleep(1100);
    expect(await relayB.relayOnce()).toBe(3);
    expect(enqueued.sort()).toEqual([...ids].sort());
    expect(await client().xlen(keys.outbox)).toBe(0);
  });

  it('splits entries between two concurrent relays without losing or doubling any', async () => {
    const ids = await createOrders(40);
    const enqueued: string[] = [];
    const enqueue = async (job: PaymentJob): Promise<void> => {
      await sleep(1);
      enqueued.push(job.orderId);
    };
    const a = relay(enqueue, { consumer: 'relay-a', batchSize: 5 });
    const b = new OutboxRelay({ redis: client(), enqueue, consumer: 'relay-b', batchSize: 5 });
    while ((await client().xlen(keys.outbox)) > 0) await Promise.all([a.relayOnce(), b.relayOnce()]);
    expect(enqueued.sort()).toEqual([...ids].sort());
  });

  it('parks a malformed entry in the dead stream, reports it, and relays the rest', async () => {
    await client().xadd(keys.outbox, '*', 'orderId', 'x', 'payload', '{not json');
    const [id] = await createOrders(1);
    const errors: unknown[] = [];
    const enqueued: string[] = [];
    const outbox = relay(collect(enqueued));
    outbox.onRelayError((error) => errors.push(error));
    expect(await outbox.relayOnce()).toBe(1);
    expect(enqueued).toEqual([id]);
    expect(errors).toHaveLength(1);
    expect(await client().xlen(keys.outboxDead)).toBe(1);
    expect(await client().xlen(keys.outbox)).toBe(0);
  });
});

describe('run', () => {
  it('relays orders created while it runs, until aborted', async () => {
    const enqueued: string[] = [];
    const controller = new AbortController();
    const running = relay(collect(enqueued), { pollIntervalMs: 10 }).run(controller.signal);
    const ids = await createOrders(3);
    await vi.waitFor(() => expect(enqueued.length).toBeGreaterThanOrEqual(3), { timeout: 5_000 });
    controller.abort();
    await running;
    expect(enqueued).toEqual(ids);
  });

  it('reports a failing step through onRelayError and keeps going', async () => {
    await createOrders(1);
    const calls = { count: 0 };
    const errors: unknown[] = [];
    const controller = new AbortController();
    const outbox = relay(failOnce(calls), { pollIntervalMs: 10 });
    const subscription = outbox.onRelayError((error) => errors.push(error));
    const running = outbox.run(controller.signal);
    await vi.waitFor(() => expect(calls.count).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
    controller.abort();
    await running;
    subscription.dispose();
    expect(errors).toEqual([expect.objectContaining({ message: 'queue unavailable' })]);
    expect(calls.count).toBe(2);
  });
});

describe('options and keys', () => {
  it.each([
    [{ batchSize: 0 }, /batchSize must be a positive integer, got 0/],
    [{ claimIdleMs: 1.5 }, /claimIdleMs must be a positive integer, got 1.5/],
    [{ consumer: '' }, /consumer must be a non-empty string/],
  ])('rejects %o at construction with a RangeError naming it', (options, message) => {
    expect(() => relay(() => Promise.resolve(), options)).toThrow(message);
  });

  it('keeps every key it writes under the order: prefix', async () => {
    await client().xadd(keys.outbox, '*', 'payload', 'bad');
    await createOrders(2);
    await relay(() => Promise.resolve()).relayOnce();
    const all = await scanAllKeys(client());
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((key) => key.startsWith(keyPrefix))).toBe(true);
  });
});
