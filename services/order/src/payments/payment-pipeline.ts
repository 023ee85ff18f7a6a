import type { MetricsRegistry } from '@shipshape/observability';
import type { OrderRepository } from '../storage/order-repository.ts';
import type { PaymentsConfig } from './payments-config.ts';

/** What the pipeline logs through (a pino logger fits). */
export interface PaymentLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** Options of {@link startPaymentPipeline}. */
export interface PaymentPipelineOptions {
  /** The order configuration; the pipeline reads its keys (`paymentsConfigShape`) through `get()`. */
  config: { get(): PaymentsConfig };
  /** Redis of the order store; the pipeline opens its own connections (BullMQ needs dedicated ones). */
  redisUrl: string;
  /** The order store: outcomes are written with its compare-and-set. */
  repository: OrderRepository;
  /** The service's registry: queue, client and `orders_total` metrics. */
  metrics: MetricsRegistry;
  logger: PaymentLogger;
  /** This process's name in the outbox consumer group and BullMQ, unique per replica (`${hostname}:${pid}`). */
  consumer: string;
}

/** A running payment pipeline. */
export interface PaymentPipeline {
  /** Stops taking jobs, waits for in-flight ones (bounded by `worker.shutdownTimeoutMs`), closes connections. */
  close(): Promise<void>;
  /** Readiness check: resolves while the queue's Redis answers. */
  readiness?: () => Promise<unknown>;
}

/**
 * Starts the asynchronous payment pipeline of one order replica: the outbox relay (outbox →
 * BullMQ `payments` queue), the worker that charges the payment service, dead-letter handling
 * and the queue metrics.
 */
export async function startPaymentPipeline(options: PaymentPipelineOptions): Promise<PaymentPipeline> {
  await Promise.resolve(options);
  throw new Error('not implemented yet');
}
