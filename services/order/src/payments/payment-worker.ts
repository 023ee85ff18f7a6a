/**
 * The BullMQ worker of the payment queue: runs the charge processor with the configured
 * concurrency, retries with the payment backoff, recovers stalled jobs, records the queue
 * histograms and hands jobs BullMQ failed for good to the dead-letter queue.
 */
import type { QueueMetrics } from '@shipshape/observability/metrics';
import { Worker, type Job } from 'bullmq';
import type { PaymentJob } from '../storage/payment-job.ts';
import type { ChargeResult } from './charge-processor.ts';
import type { DeadLetters } from './dead-letters.ts';
import { isTransientPaymentError } from './errors/transient-payment-error.ts';
import { paymentBackoffStrategy } from './payment-backoff.ts';
import { withProcessSpan } from './payment-tracing.ts';
import { openBullConnection, paymentQueueName } from './payment-queues.ts';
import type { PaymentsConfig } from './payments-config.ts';

/** A scheduled retry, for logs and tests. */
export interface RetryScheduled {
  readonly orderId: string;
  /** Attempts made so far (1 after the first failure). */
  readonly attemptsMade: number;
  /** The delay BullMQ waits before the next attempt, in ms. */
  readonly delayMs: number;
  /** The failure's reason token (`http_503`, `timeout`, …) or `error`. */
  readonly reason: string;
}

/** What the worker logs through. */
export interface WorkerLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** Options of {@link createPaymentWorker}. */
export interface PaymentWorkerOptions {
  redisUrl: string;
  /** The `worker.*` settings, read per retry (backoff) or at start (locks, stalled checks). */
  settings: () => PaymentsConfig['worker'];
  /** The job processor (`createChargeProcessor`). */
  process: (job: Job<PaymentJob>, token?: string, signal?: AbortSignal) => Promise<ChargeResult>;
  deadLetters: DeadLetters;
  /** Queue histograms of the payment queue (`bridgeQueue`). */
  queueMetrics: QueueMetrics;
  logger: WorkerLogger;
  /** This replica's name, stored on the jobs it processes. */
  name: string;
  /** Sees every scheduled retry. @default none */
  onRetry?: (event: RetryScheduled) => void;
}

/**
 * Creates and starts the worker. Lock and stalled settings (defaults 15 s / 10 s): a job whose
 * worker died is back in `wait` within about `lockDurationMs + stalledIntervalMs` and runs again
 * elsewhere; the Idempotency-Key (order id) means the payment service charges it once.
 */
export function createPaymentWorker(options: PaymentWorkerOptions): Worker<PaymentJob, ChargeResult> {
  const settings = options.settings();
  const { logger, queueMetrics } = options;
  const onDelay = (
    delayMs: number,
    attemptsMade: number,
    error: unknown,
    job?: { data: PaymentJob },
  ): void => {
    const reason = isTransientPaymentError(error) ? error.reason : 'error';
    const orderId = job?.data.orderId ?? 'unknown';
    // A transient failure retried with backoff is the design working (counted by the retry
    // metrics), not a warning; a charge that runs out of attempts is (`charge parked …`).
    logger.info({ orderId, attemptsMade, delayMs, reason }, 'charge failed, retry scheduled');
    options.onRetry?.({ orderId, attemptsMade, delayMs, reason });
  };
  const strategy = paymentBackoffStrategy(() => options.settings());
  const bull = openBullConnection(options.redisUrl);
  const worker = new Worker<PaymentJob, ChargeResult>(
    paymentQueueName,
    // Everything of an attempt, metrics included, runs inside its CONSUMER span, so the queue
    // histograms carry the order's trace id as exemplar.
    (job, token, signal) =>
      withProcessSpan(job.queueName, job.data, job.attemptsMade + 1, async () => {
        const started = performance.now();
        // Wait time of the first start only: later starts are retries whose wait is the backoff.
        if (job.attemptsMade === 0 && job.attemptsStarted <= 1 && job.processedOn !== undefined) {
          queueMetrics.observeWait(job.processedOn - job.timestamp);
        }
        try {
          const result = await options.process(job, token, signal);
          queueMetrics.observeJob({ outcome: result.outcome, durationMs: performance.now() - started });
          return result;
        } catch (error) {
          const outcome = isTransientPaymentError(error) ? 'retried' : 'failed';
          queueMetrics.observeJob({ outcome, durationMs: performance.now() - started });
          throw error;
        }
      }),
    {
      connection: bull.connection,
      prefix: bull.prefix,
      name: options.name,
      concurrency: settings.concurrency,
      lockDuration: settings.lockDurationMs,
      stalledInterval: settings.stalledIntervalMs,
      maxStalledCount: settings.maxStalledCount,
      settings: {
        backoffStrategy: (attemptsMade, type, error, job) => {
          const delayMs = strategy(attemptsMade, type, error);
          onDelay(delayMs, attemptsMade, error, job as { data: PaymentJob } | undefined);
          return delayMs;
        },
      },
    },
  );
  worker.on('closed', () => {
    bull.close().catch(() => undefined);
  });
  worker.on('error', (error) => logger.error({ err: error }, 'payment worker error'));
  worker.on('stalled', (jobId) =>
    logger.warn({ orderId: jobId }, 'charge job stalled (its worker died); it runs again'),
  );
  worker.on('failed', (job) => {
    if (!job?.id) return;
    // Fired for every failure; parkIfFailed acts only when BullMQ failed the job for good.
    options.deadLetters
      .parkIfFailed(job.id)
      .catch((error: unknown) =>
        logger.error({ err: error, orderId: job.id }, 'could not park a failed charge'),
      );
  });
  return worker;
}
