// Shared setup of the payment pipeline tests: the real payment app (in-process, harness Redis)
// with a scripted processor, and a real pipeline against it.
import { loadConfig, ValuesSource } from '@shipshape/config';
import { createLogger } from '@shipshape/observability/logging';
import { MetricsRegistry } from '@shipshape/observability/metrics';
import { parseExposition, sumSamples } from '@shipshape/test-harness/exposition';
import {
  configSchema as paymentConfigSchema,
  createApp as createPaymentApp,
  PaymentRepository,
  ProcessorUnavailableError,
  type ChargeOutcome,
  type ChargeRequest,
  type PaymentProcessor,
} from '@shipshape/payment-service';
import { useServiceApp, type StartServiceAppOptions } from '@shipshape/service-kit/testing';
import { Redis } from 'ioredis';
import { afterEach } from 'vitest';
import * as z from 'zod';
import { startPaymentPipeline, type PaymentPipeline } from '../src/payments/payment-pipeline.ts';
import type { RetryScheduled } from '../src/payments/payment-worker.ts';
import { paymentsConfigShape } from '../src/payments/payments-config.ts';
import { fastWorker } from './payments-harness-values.ts';
import { OrderRepository } from '../src/storage/order-repository.ts';

export { fastWorker };

/** One scripted processor answer: an outcome, a transient failure, or a wait before another answer. */
export type Answer =
  | 'capture'
  | 'decline'
  | { unavailable: number } // Retry-After in ms
  | { hold: Promise<unknown>; then: Answer };

/** A processor whose answers the test scripts; `calls` records every charge it saw. */
export interface ScriptedProcessor extends PaymentProcessor {
  readonly calls: (ChargeRequest & { at: number })[];
  /** Answers used in order; the last one repeats. */
  script(...answers: Answer[]): void;
}

export function scriptedProcessor(): ScriptedProcessor {
  let answers: Answer[] = ['capture'];
  const calls: (ChargeRequest & { at: number })[] = [];
  const answer = async (a: Answer): Promise<ChargeOutcome> => {
    if (a === 'capture') return { status: 'captured' };
    if (a === 'decline') return { status: 'declined', reason: 'insufficient_funds' };
    if ('unavailable' in a) throw new ProcessorUnavailableError(undefined, { retryAfterMs: a.unavailable });
    await a.hold;
    return answer(a.then);
  };
  return {
    calls,
    script: (...next) => void (answers = next),
    charge(request) {
      calls.push({ ...request, at: Date.now() });
      const next = answers.length > 1 ? answers.shift()! : answers[0]!;
      return answer(next);
    },
  };
}

/** Starts the real payment app on 127.0.0.1 with `processor` (closed after each test). */
export function usePaymentService(redisUrl: () => string) {
  type Options = StartServiceAppOptions & { processor: PaymentProcessor };
  const start = useServiceApp<typeof paymentConfigSchema, Options>(redisUrl, {
    service: 'payment',
    schema: paymentConfigSchema,
    createApp: ({ redis, ...deps }, options) =>
      createPaymentApp({
        ...deps,
        repository: new PaymentRepository({ redis }),
        processor: options.processor,
      }),
  });
  return async (processor: PaymentProcessor) =>
    start({ processor, values: { processor: { retryAfterMs: 1000 } } });
}

const pipelineSchema = z.object(paymentsConfigShape);

/** A started pipeline with what the tests look at. */
export interface TestPipeline {
  readonly pipeline: PaymentPipeline;
  readonly repository: OrderRepository;
  readonly metrics: MetricsRegistry;
  readonly redis: Redis;
  readonly retries: RetryScheduled[];
  /** Creates an order (order + outbox entry); the relay enqueues its charge. */
  createOrder(totalCents?: number): Promise<string>;
  /** Resolves with the order's status once it is not `pending` (or `until` is reached). */
  waitForStatus(orderId: string, until?: (status: string) => boolean, timeoutMs?: number): Promise<string>;
  /** The value of one series in the registry's Prometheus text, 0 when absent. */
  metric(name: string, labels: Record<string, string>): Promise<number>;
}

/** Starts pipelines against the harness Redis (closed after each test, Redis flushed). */
export function usePipeline(redisUrl: () => string) {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async (
    paymentUrl: string,
    worker: object = {},
    paymentClient: object = {},
    more: Record<string, unknown> = {},
  ): Promise<TestPipeline> => {
    const config = await loadConfig({
      schema: pipelineSchema,
      sources: [
        new ValuesSource({
          values: {
            paymentServiceUrl: paymentUrl,
            worker: { ...fastWorker, ...worker },
            paymentClient: { maxAttempts: 1, ...paymentClient },
            ...more,
          },
        }),
      ],
      env: {},
    });
    cleanups.push(() => config.close());
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    redis.on('error', () => {});
    cleanups.push(async () => {
      await redis.flushall();
      await redis.quit();
    });
    const repository = new OrderRepository({ redis });
    const metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
    const retries: RetryScheduled[] = [];
    const pipeline = await startPaymentPipeline({
      config,
      redisUrl: redisUrl(),
      repository,
      metrics,
      logger: createLogger({ service: 'order', level: 'silent' }),
      consumer: `test-${process.pid}`,
      onRetry: (event) => retries.push(event),
    });
    cleanups.push(() => pipeline.close());
    return {
      pipeline,
      repository,
      metrics,
      redis,
      retries,
      async createOrder(totalCents = 1_250) {
        const { order } = await repository.createOrder({
          userId: 'user-1',
          items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: totalCents }],
        });
        return order.id;
      },
      async waitForStatus(orderId, until = (s) => s !== 'pending', timeoutMs = 20_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const status = (await repository.getOrder(orderId))?.status ?? 'missing';
          if (until(status)) return status;
          if (Date.now() > deadline)
            throw new Error(`order ${orderId} still ${status} after ${timeoutMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      async metric(name, labels) {
        return sumSamples(parseExposition(await metrics.render('prometheus')), name, labels);
      },
    };
  };
}
