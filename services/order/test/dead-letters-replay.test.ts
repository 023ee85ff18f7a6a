import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadLetters } from '../src/payments/dead-letters.ts';
import {
  bullConnection,
  bullPrefix,
  chargeJobName,
  chargeJobOptions,
  openPaymentQueues,
  paymentQueueName,
  type PaymentQueues,
} from '../src/payments/payment-queues.ts';
import { OrderRepository } from '../src/storage/order-repository.ts';
import type { PaymentJob } from '../src/storage/payment-job.ts';

const redis = useRedisServer();
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** The queues, a manual worker (no processor: the test moves the job) and an order. */
async function setUp(activeWaitMs?: number) {
  const client = new Redis(redis.url);
  closers.push(() => client.quit());
  await client.flushall(); // each test starts from an empty payment queue
  const queues: PaymentQueues = openPaymentQueues(redis.url, () => undefined);
  closers.push(() => queues.close());
  const worker = new Worker<PaymentJob>(paymentQueueName, null, {
    connection: bullConnection(redis.url),
    prefix: bullPrefix,
  });
  closers.push(() => worker.close());
  const repository = new OrderRepository({ redis: client });
  const { order } = await repository.createOrder({
    userId: 'user-1',
    items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 700 }],
  });
  const job: PaymentJob = { orderId: order.id, amountCents: 700, currency: 'USD' };
  await queues.payments.add(chargeJobName, job, chargeJobOptions(order.id, 1));
  const deadLetters = new DeadLetters({
    payments: queues.payments,
    deadLetters: queues.deadLetters,
    repository,
    attempts: () => 3,
    ...(activeWaitMs === undefined ? {} : { activeWaitMs }),
  });
  return { queues, worker, deadLetters, job, orderId: order.id };
}

describe('dead-letter replay of a charge whose job is still running', () => {
  it('waits for the job that parked the letter to finish, then replays it (the letter is not lost)', async () => {
    const { queues, worker, deadLetters, job, orderId } = await setUp();
    const token = 'worker-token';
    const active = await worker.getNextJob(token);
    expect(active?.id).toBe(orderId);
    // The worker parks the charge while its job is `active`, then completes the job.
    await deadLetters.park(job, { attempts: 1, reason: 'http_503', message: 'upstream answered 503' });

    const replay = deadLetters.replay([orderId]);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the replay is waiting on `active`
    await active.moveToCompleted({ outcome: 'dead_lettered' }, token, false);

    expect(await replay).toEqual({ replayed: [orderId], missing: [], busy: [] });
    expect(await queues.payments.getJobState(orderId)).toBe('waiting');
    expect(await deadLetters.list()).toEqual([]);
  });

  it('leaves the letter in place and reports it busy when the job stays active', async () => {
    const { queues, worker, deadLetters, job, orderId } = await setUp(100);
    await worker.getNextJob('worker-token');
    await deadLetters.park(job, { attempts: 1, reason: 'http_503', message: 'upstream answered 503' });

    expect(await deadLetters.replay([orderId])).toEqual({ replayed: [], missing: [], busy: [orderId] });
    expect(await queues.payments.getJobState(orderId)).toBe('active');
    expect((await deadLetters.list()).map((e) => e.orderId)).toEqual([orderId]);
  });
});
