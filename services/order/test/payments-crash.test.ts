import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, expect, it, vi } from 'vitest';
import { bullPrefix, paymentQueueName } from '../src/payments/payment-queues.ts';
import { OrderRepository } from '../src/storage/order-repository.ts';
import { scriptedProcessor, usePaymentService, usePipeline } from './payments-harness.ts';

const redis = useRedisServer();
const startPayment = usePaymentService(() => redis.url);
const startPipeline = usePipeline(() => redis.url);
const fixture = fileURLToPath(new URL('./fixtures/payments-worker.ts', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function startWorkerProcess(paymentUrl: string, maxStalledCount = 3): Promise<ChildProcess> {
  const child = spawn(process.execPath, [fixture], {
    env: {
      ...process.env,
      REDIS_URL: redis.url,
      PAYMENT_URL: paymentUrl,
      MAX_STALLED_COUNT: String(maxStalledCount),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker process exited early with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('started')) resolve(child);
    });
  });
}

/**
 * Creates an order; a child replica relays it, takes the job and is SIGKILLed inside the charge;
 * then the payment service finishes the charge the dead worker asked for.
 */
async function orderChargedByADeadWorker(maxStalledCount: number) {
  let release!: () => void;
  const held = new Promise((resolve) => (release = () => resolve(undefined)));
  const processor = scriptedProcessor();
  processor.script({ hold: held, then: 'capture' }, 'capture');
  const payment = await startPayment(processor);

  const client = new Redis(redis.url);
  const { order } = await new OrderRepository({ redis: client }).createOrder({
    userId: 'user-1',
    items: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 300 }],
  });
  await client.quit();

  const child = await startWorkerProcess(payment.url, maxStalledCount);
  await vi.waitFor(() => expect(processor.calls.length).toBeGreaterThan(0), {
    timeout: 30_000,
    interval: 20,
  });
  expect(processor.calls).toHaveLength(1);
  child.kill('SIGKILL');
  await once(child, 'exit');
  release();
  return { order, processor, payment };
}

it('recovers the charge of a worker SIGKILLed mid-job and charges it once', { timeout: 60_000 }, async () => {
  const { order, processor, payment } = await orderChargedByADeadWorker(3);

  // Another replica: its stalled-job check finds the job whose lock expired and runs it again.
  const p = await startPipeline(payment.url);
  expect(await p.waitForStatus(order.id, undefined, 30_000)).toBe('paid');

  expect(processor.calls).toHaveLength(1);
  const response = await fetch(`${payment.url}/payments?orderId=${order.id}`);
  expect(((await response.json()) as { items: unknown[] }).items).toHaveLength(1);
  const queue = new Queue(paymentQueueName, { connection: { url: redis.url }, prefix: bullPrefix });
  try {
    const job = await queue.getJob(order.id);
    // Started twice, once recovered from `stalled` (BullMQ counts that as an attempt made).
    expect(job?.attemptsStarted).toBe(2);
    expect(job?.stalledCounter).toBe(1);
    expect(p.retries).toEqual([]);
    expect(job?.returnvalue).toMatchObject({ outcome: 'paid' });
  } finally {
    await queue.close();
  }
});

it(
  'parks a job that stalled more than maxStalledCount times, and a replay settles it without a second charge',
  { timeout: 60_000 },
  async () => {
    const { order, processor, payment } = await orderChargedByADeadWorker(0);

    // BullMQ fails the stalled job at once (maxStalledCount 0); the replica parks it.
    const p = await startPipeline(payment.url, { maxStalledCount: 0 });
    expect(await p.waitForStatus(order.id, undefined, 30_000)).toBe('payment_failed');
    expect(await p.pipeline.deadLetters.list()).toEqual([
      expect.objectContaining({ orderId: order.id, reason: 'stalled' }),
    ]);

    await p.pipeline.deadLetters.replay([order.id]);
    expect(await p.waitForStatus(order.id, (s) => s !== 'payment_failed')).toBe('paid');
    expect(processor.calls).toHaveLength(1);
  },
);
