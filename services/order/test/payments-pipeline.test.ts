import { useRedisServer } from '@shipshape/test-harness/vitest';
import { freePort } from '@shipshape/test-harness';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { bullPrefix, enqueueCharge, paymentQueueName } from '../src/payments/payment-queues.ts';
import { OrderRepository } from '../src/storage/order-repository.ts';
import type { PaymentJob } from '../src/storage/payment-job.ts';
import { scriptedProcessor, usePaymentService, usePipeline } from './payments-harness.ts';

const redis = useRedisServer();
const startPayment = usePaymentService(() => redis.url);
const startPipeline = usePipeline(() => redis.url);

async function paymentsOf(url: string, orderId: string): Promise<{ status: string }[]> {
  const response = await fetch(`${url}/payments?orderId=${encodeURIComponent(orderId)}`);
  return ((await response.json()) as { items: { status: string }[] }).items;
}

describe('payment pipeline', () => {
  it('pays an order the payment service captures', async () => {
    const processor = scriptedProcessor();
    const payment = await startPayment(processor);
    const p = await startPipeline(payment.url);

    const orderId = await p.createOrder(1_250);
    expect(await p.waitForStatus(orderId)).toBe('paid');

    expect(processor.calls).toEqual([
      expect.objectContaining({ orderId, amountCents: 1_250, idempotencyKey: orderId }),
    ]);
    expect(await paymentsOf(payment.url, orderId)).toMatchObject([{ status: 'captured' }]);
    expect(await p.metric('orders_total', { status: 'paid' })).toBe(1);
    expect(await p.metric('queue_job_duration_seconds_count', { queue: 'payments', outcome: 'paid' })).toBe(
      1,
    );
    expect(await p.metric('queue_job_wait_seconds_count', { queue: 'payments' })).toBe(1);
    expect(
      await p.metric('http_client_request_duration_seconds_count', {
        peer_service: 'payment',
        status_code: '201',
      }),
    ).toBe(1);
  });

  it('marks a declined order payment_declined after exactly one attempt', async () => {
    const processor = scriptedProcessor();
    processor.script('decline');
    const payment = await startPayment(processor);
    const p = await startPipeline(payment.url);

    const orderId = await p.createOrder();
    expect(await p.waitForStatus(orderId)).toBe('payment_declined');

    expect(processor.calls).toHaveLength(1);
    expect(p.retries).toEqual([]);
    expect(await p.metric('orders_total', { status: 'payment_declined' })).toBe(1);
    expect(await p.metric('queue_job_duration_seconds_count', { outcome: 'declined' })).toBe(1);
  });

  it('retries transient failures with backoff and charges once', async () => {
    const processor = scriptedProcessor();
    processor.script({ unavailable: 0 }, { unavailable: 0 }, 'capture');
    const payment = await startPayment(processor);
    const p = await startPipeline(payment.url, { attempts: 5, backoffMs: 30 });

    const orderId = await p.createOrder();
    expect(await p.waitForStatus(orderId)).toBe('paid');

    expect(processor.calls).toHaveLength(3);
    expect(await paymentsOf(payment.url, orderId)).toHaveLength(1);
    expect(p.retries.map((r) => [r.attemptsMade, r.reason])).toEqual([
      [1, 'http_503'],
      [2, 'http_503'],
    ]);
    // The payment app answers Retry-After: 1 (whole seconds), so each delay is at least 1 s.
    expect(p.retries.every((r) => r.delayMs >= 1_000)).toBe(true);
    expect(await p.metric('queue_job_duration_seconds_count', { outcome: 'retried' })).toBe(2);
  });

  it('waits for the Retry-After of a 503 when it is longer than the backoff', async () => {
    const processor = scriptedProcessor();
    processor.script({ unavailable: 3_000 }, 'capture');
    const payment = await startPayment(processor);
    const p = await startPipeline(payment.url, { backoffMs: 20 });
    const queue = new Queue(paymentQueueName, { connection: { url: redis.url }, prefix: bullPrefix });

    try {
      const orderId = await p.createOrder();
      await p.waitForStatus(orderId, () => p.retries.length > 0);
      expect(p.retries[0]).toMatchObject({ orderId, delayMs: 3_000, reason: 'http_503' });
      // BullMQ stored that delay with the job: it sits in `delayed` until then.
      const delayed = await queue.getJob(orderId);
      expect(await delayed?.getState()).toBe('delayed');
      expect(delayed?.delay).toBe(3_000);

      expect(await p.waitForStatus(orderId)).toBe('paid');
      expect(processor.calls[1]!.at - processor.calls[0]!.at).toBeGreaterThanOrEqual(3_000);
    } finally {
      await queue.close();
    }
  });

  it('dead-letters an order when attempts are exhausted, and a replay pays it', async () => {
    const processor = scriptedProcessor();
    processor.script({ unavailable: 0 });
    const payment = await startPayment(processor);
    const p = await startPipeline(payment.url, { attempts: 2 });

    const orderId = await p.createOrder(990);
    expect(await p.waitForStatus(orderId)).toBe('payment_failed');
    expect(processor.calls).toHaveLength(2);
    expect(await p.pipeline.deadLetters.list()).toEqual([
      expect.objectContaining({ orderId, amountCents: 990, attempts: 2, reason: 'http_503' }),
    ]);
    expect(await p.metric('queue_jobs', { queue: 'payments', state: 'dead_letter' })).toBe(1);
    expect(await p.metric('orders_total', { status: 'payment_failed' })).toBe(1);
    expect(await p.metric('queue_job_duration_seconds_count', { outcome: 'dead_lettered' })).toBe(1);

    processor.script('capture');
    expect(await p.pipeline.deadLetters.replay([orderId, 'no-such-order'])).toEqual({
      replayed: [orderId],
      missing: ['no-such-order'],
      busy: [],
    });
    expect(await p.waitForStatus(orderId, (s) => s !== 'payment_failed')).toBe('paid');
    expect(await paymentsOf(payment.url, orderId)).toMatchObject([{ status: 'captured' }]);
    expect(await p.pipeline.deadLetters.list()).toEqual([]);
    expect(await p.metric('queue_jobs', { queue: 'payments', state: 'dead_letter' })).toBe(0);
    expect(await p.metric('orders_total', { status: 'paid' })).toBe(1);
  });

  it('dead-letters at once a charge the payment service rejects with a 4xx (no retry loop)', async () => {
    const processor = scriptedProcessor();
    const payment = await startPayment(processor);
    // Someone used the order id as Idempotency-Key with another amount: payment answers 422.
    const client = new Redis(redis.url);
    const { order } = await new OrderRepository({ redis: client }).createOrder({
      userId: 'user-1',
      items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 500 }],
    });
    await client.quit();
    const orderId = order.id;
    await fetch(`${payment.url}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': orderId },
      body: JSON.stringify({ orderId, amountCents: 1, currency: 'USD' }),
    });
    const q = await startPipeline(payment.url, { attempts: 5 });

    expect(await q.waitForStatus(orderId)).toBe('payment_failed');
    expect(processor.calls).toHaveLength(1); // only the foreign charge
    expect(q.retries).toEqual([]);
    expect(await q.pipeline.deadLetters.list()).toEqual([
      expect.objectContaining({ orderId, attempts: 1, reason: 'rejected_422' }),
    ]);
  });

  it('retries while the payment service refuses connections', async () => {
    const port = await freePort();
    const p = await startPipeline(`http://127.0.0.1:${port}`, { attempts: 2 });

    const orderId = await p.createOrder();
    expect(await p.waitForStatus(orderId)).toBe('payment_failed');
    expect(p.retries.map((r) => r.reason)).toEqual(['connection_failed']);
    expect(await p.pipeline.deadLetters.list()).toEqual([
      expect.objectContaining({ orderId, attempts: 2, reason: 'connection_failed' }),
    ]);
    expect(
      await p.metric('http_client_request_duration_seconds_count', {
        peer_service: 'payment',
        status_code: 'error',
      }),
    ).toBe(2);
  });

  it('runs one job for an order enqueued twice', async () => {
    const processor = scriptedProcessor();
    const payment = await startPayment(processor);
    const p = await startPipeline(payment.url);
    const queue = new Queue<PaymentJob>(paymentQueueName, {
      connection: { url: redis.url },
      prefix: bullPrefix,
    });

    try {
      const orderId = await p.createOrder(700);
      const job: PaymentJob = { orderId, amountCents: 700, currency: 'USD' };
      await Promise.all([enqueueCharge(queue, job, 3), enqueueCharge(queue, job, 3)]);
      expect(await p.waitForStatus(orderId)).toBe('paid');
      await enqueueCharge(queue, job, 3); // late duplicate: the completed job still holds the id

      const counts = await queue.getJobCounts('completed', 'wait', 'active', 'delayed', 'failed');
      expect(counts).toEqual({ completed: 1, wait: 0, active: 0, delayed: 0, failed: 0 });
      expect(processor.calls).toHaveLength(1);
    } finally {
      await queue.close();
    }
  });

  it('waits for an in-flight charge on close', async () => {
    let release!: () => void;
    const processor = scriptedProcessor();
    processor.script({
      hold: new Promise((resolve) => (release = () => resolve(undefined))),
      then: 'capture',
    });
    const payment = await startPayment(processor);
    const p = await startPipeline(payment.url);

    const orderId = await p.createOrder();
    await p.waitForStatus(orderId, () => processor.calls.length > 0);
    let closed = false;
    const closing = p.pipeline.close().then(() => (closed = true));
    // Kept real: a quiet period is the claim (close() waits for the in-flight charge).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed).toBe(false);
    release();
    await closing;
    expect((await p.repository.getOrder(orderId))?.status).toBe('paid');
  });

  it('aborts a charge still running after shutdownTimeoutMs and hands its job back without spending an attempt', async () => {
    const processor = scriptedProcessor();
    processor.script({ hold: new Promise(() => {}), then: 'capture' }, 'capture');
    const payment = await startPayment(processor);
    // Without the abort the held charge would keep close() waiting for a minute.
    const p = await startPipeline(
      payment.url,
      { shutdownTimeoutMs: 200 },
      { timeoutMs: 60_000, perTryTimeoutMs: 60_000 },
    );
    const queue = new Queue(paymentQueueName, { connection: { url: redis.url }, prefix: bullPrefix });

    try {
      const orderId = await p.createOrder();
      await p.waitForStatus(orderId, () => processor.calls.length > 0);
      await p.pipeline.close();

      const job = await queue.getJob(orderId);
      expect(await job?.getState()).toBe('waiting');
      expect(job?.attemptsMade).toBe(0);
      expect((await p.repository.getOrder(orderId))?.status).toBe('pending');
    } finally {
      await queue.close();
    }
  });
});
