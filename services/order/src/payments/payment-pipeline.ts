/**
 * The asynchronous payment pipeline of one order replica: outbox relay → BullMQ `payments` queue
 * → worker → payment service, with dead letters and queue metrics. main.ts starts it and
 * registers `close` as a shutdown step.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { bridgeQueue, type MetricsRegistry } from '@shipshape/observability/metrics';
import { createRedisClient } from '@shipshape/service-kit';
import { OutboxRelay } from '../storage/outbox-relay.ts';
import type { OrderRepository } from '../storage/order-repository.ts';
import { createChargeProcessor } from './charge-processor.ts';
import { DeadLetters } from './dead-letters.ts';
import { PaymentBacklog } from './payment-backlog.ts';
import { createPaymentClient } from './payment-client.ts';
import { enqueueCharge, enqueueCharges, openPaymentQueues } from './payment-queues.ts';
import { createPaymentWorker, type RetryScheduled } from './payment-worker.ts';
import { WorkerWatchdog } from './worker-watchdog.ts';
import type { PaymentsConfig } from './payments-config.ts';
import { jobRetention, type RetentionConfig } from '../retention.ts';
import type { ClientTlsOptions } from '@shipshape/resilience/http';

/** What the pipeline logs through (a pino logger fits). */
export interface PaymentLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** Options of {@link startPaymentPipeline}. */
export interface PaymentPipelineOptions {
  /**
   * The order configuration; the pipeline reads its keys (`paymentsConfigShape`) and the job
   * retention (`retention.*`, defaults when absent) through `get()`.
   */
  config: { get(): PaymentsConfig & { readonly retention?: RetentionConfig } };
  /** Redis of the order store; the pipeline opens its own connections (BullMQ needs dedicated ones). */
  redisUrl: string;
  /** The order store: outcomes are written with its compare-and-set. */
  repository: OrderRepository;
  /** The service's registry: queue, client and `orders_total` metrics. */
  metrics: MetricsRegistry;
  logger: PaymentLogger;
  /** This process's name in the outbox consumer group and BullMQ, unique per replica (`${hostname}:${pid}`). */
  consumer: string;
  /**
   * Mutual TLS of the payment client (`runService`'s `clientTls`): its options for `payment`, and
   * `follow` so certificate rotations reach the client.
   * @default none: plain HTTP
   */
  clientTls?: ClientTlsSource;
  /** Sees every scheduled retry (tests, diagnostics). @default none */
  onRetry?: (event: RetryScheduled) => void;
}

/** Where the payment client's TLS comes from (the service kit's `ServiceClientTls` fits). */
export interface ClientTlsSource {
  options(service: string): ClientTlsOptions | undefined;
  follow(client: { readonly service: string; setTls(tls: ClientTlsOptions): void }): unknown;
}

/** A running payment pipeline. */
export interface PaymentPipeline {
  /**
   * Stops the relay and the worker from taking jobs, waits for in-flight charges (at most
   * `worker.shutdownTimeoutMs`), aborts the ones still running and hands their jobs back to `wait`
   * without spending an attempt (or, if Redis does not answer, leaves them to stalled-job
   * recovery), then closes the connections. Safe because charges are idempotent.
   */
  close(): Promise<void>;
  /** Readiness check: resolves while the queue's Redis answers. */
  readiness: () => Promise<unknown>;
  /** The dead-letter queue (list, replay). */
  readonly deadLetters: DeadLetters;
  /** How far payment is behind intake (`/health` details, intake shedding). */
  readonly backlog: PaymentBacklog;
}

/**
 * Starts the pipeline: the outbox relay, the BullMQ worker (queue `payments`, prefix
 * `order:bull`), the dead-letter sweep (jobs BullMQ failed for good, every
 * `worker.stalledIntervalMs`), runtime `worker.concurrency` changes (capped by the payment
 * client's adaptive concurrency limit when it has one), and the metrics:
 * `queue_jobs{queue="payments",state}` (at scrape time, `dead_letter` included),
 * `queue_job_duration_seconds`, `queue_job_wait_seconds`, `orders_total{status}` for final
 * statuses, and the payment client's `resilience_*` and `http_client_request_duration_seconds`.
 */
export async function startPaymentPipeline(options: PaymentPipelineOptions): Promise<PaymentPipeline> {
  const { config, logger, metrics, repository } = options;
  const initial = config.get();
  const queues = openPaymentQueues(options.redisUrl, (error) =>
    logger.warn({ err: error }, 'payment queue redis error'),
  );
  // Resolves once both queue connections are up (main.ts checked that Redis answers).
  await Promise.all([queues.payments.waitUntilReady(), queues.deadLetters.waitUntilReady()]);
  const client = createPaymentClient(initial, metrics, options.clientTls?.options('payment'));
  options.clientTls?.follow(client.client);
  const deadLetters = new DeadLetters({
    payments: queues.payments,
    deadLetters: queues.deadLetters,
    repository,
    attempts: () => config.get().worker.attempts,
    jobRetention: () => jobRetention(config.get().retention),
    metrics,
  });
  const queueMetrics = bridgeQueue(
    {
      queue: queues.payments,
      deadLetter: queues.deadLetters,
      onError: (error) => logger.warn({ err: error }, 'could not count the payment queue jobs'),
    },
    metrics,
  );
  const relayRedis = createRedisClient(options.redisUrl, { maxRetriesPerRequest: 1 });
  relayRedis.on('error', (error: unknown) => logger.warn({ err: error }, 'outbox relay redis error'));
  const backlog = new PaymentBacklog({
    redis: relayRedis,
    queue: queues.payments,
    settings: () => config.get().backpressure,
    metrics,
  });
  const abortCharges = new AbortController();
  const processCharge = createChargeProcessor({
    repository,
    charger: client,
    deadLetters,
    logger,
    metrics,
    signal: abortCharges.signal,
    onPaid: (orderId) => backlog.observePaid(orderId),
  });
  const watchdog = new WorkerWatchdog();
  const startWorker = (): ReturnType<typeof createPaymentWorker> => {
    watchdog.observeActivity();
    return createPaymentWorker({
      redisUrl: options.redisUrl,
      settings: () => config.get().worker,
      process: async (job, token, signal) => {
        watchdog.observeActivity();
        try {
          return await processCharge(job, token, signal);
        } finally {
          watchdog.observeActivity();
        }
      },
      deadLetters,
      queueMetrics,
      logger,
      name: options.consumer,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    });
  };
  let worker = startWorker();
  const restarts = metrics.counter({
    name: 'payment_worker_restarts_total',
    help: 'Payment workers replaced because they took no charge for worker.stuckAfterMs while charges waited.',
    labelNames: [],
  });
  /** Replaces a worker that stopped taking jobs (see WorkerWatchdog); its held charges rerun after their lock. */
  const replaceStuckWorker = async (): Promise<void> => {
    const stuckAfterMs = config.get().worker.stuckAfterMs;
    if (watchdog.idleMs() < stuckAfterMs) return;
    const waiting = await queues.payments.getWaitingCount();
    if (!watchdog.isStuck(waiting, stuckAfterMs) || stop.signal.aborted) return;
    logger.error(
      { waiting, idleMs: Math.round(watchdog.idleMs()), stuckAfterMs },
      'payment worker took no charge while charges waited; replacing it',
    );
    restarts.inc();
    const old = worker;
    worker = startWorker();
    applyConcurrency();
    // Not awaited: a stuck worker may never finish closing; its connections go with it.
    void Promise.race([old.close(true), sleep(5_000)])
      .then(() => old.disconnect())
      .catch((error: unknown) => logger.warn({ err: error }, 'could not close the replaced payment worker'));
  };

  // With the adaptive limit on, the worker takes no more jobs than payment is taking now: the
  // others wait in the queue (orders stay pending) instead of piling up latency at payment.
  let limit = Infinity;
  const applyConcurrency = (): void => {
    const wanted = Math.max(1, Math.min(config.get().worker.concurrency, limit));
    if (worker.concurrency !== wanted) worker.concurrency = wanted;
  };
  const following = client.followLimit((next) => {
    limit = next;
    applyConcurrency();
  });

  const relay = new OutboxRelay({
    redis: relayRedis,
    consumer: options.consumer,
    pollIntervalMs: initial.worker.relayPollIntervalMs,
    claimIdleMs: initial.worker.relayClaimIdleMs,
    batchSize: initial.worker.relayBatchSize,
    lingerMs: initial.worker.relayLingerMs,
    enqueue: (job) =>
      enqueueCharge(queues.payments, job, config.get().worker.attempts, jobRetention(config.get().retention)),
    enqueueMany: (jobs) =>
      enqueueCharges(
        queues.payments,
        jobs,
        config.get().worker.attempts,
        jobRetention(config.get().retention),
      ),
  });
  relay.onRelayError((error) => logger.warn({ err: error }, 'outbox relay step failed'));
  const stop = new AbortController();
  const relaying = relay.run(stop.signal);
  const maintaining = maintain(stop.signal, initial.worker.stalledIntervalMs, async () => {
    try {
      applyConcurrency();
      const parked = await deadLetters.parkFailedJobs();
      if (parked > 0) logger.warn({ parked }, 'parked charges BullMQ failed for good');
    } catch (error) {
      logger.warn({ err: error }, 'payment maintenance step failed; it runs again next interval');
    }
  });

  const watchingBacklog = maintain(stop.signal, initial.backpressure.checkIntervalMs, async () => {
    // A runtime worker.concurrency change applies within this interval too, not only the
    // maintenance interval's.
    applyConcurrency();
    const before = backlog.status().behind;
    try {
      const now = await backlog.check();
      if (now.behind !== before) {
        const fields = {
          backlogAgeMs: now.backlogAgeMs,
          maxPaidLagMs: now.maxPaidLagMs,
          shedding: now.shedding,
        };
        if (now.behind)
          logger.warn(fields, 'payment is behind intake: the oldest waiting order is older than the bound');
        else logger.info(fields, 'payment caught up with intake');
      }
    } catch (error) {
      logger.warn({ err: error }, 'could not read the payment backlog; it is read again next interval');
    }
    await replaceStuckWorker().catch((error: unknown) =>
      logger.warn({ err: error }, 'could not check the payment worker; it is checked again next interval'),
    );
  });

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    stop.abort();
    following.dispose();
    await Promise.all([relaying, maintaining, watchingBacklog]);
    const drained = worker.close().then(() => true);
    const timeoutMs = config.get().worker.shutdownTimeoutMs;
    if (!(await Promise.race([drained, sleep(timeoutMs, false)]))) {
      logger.warn({ timeoutMs }, 'charges still running at shutdown; stalled-job recovery will rerun them');
      abortCharges.abort(new Error('the payment pipeline is shutting down'));
      // Aborted charges hand their jobs back to `wait` (see the processor); then close for good.
      if (!(await Promise.race([drained, sleep(1_000, false)]))) await worker.close(true);
    }
    queueMetrics.dispose();
    await client.close();
    await queues.close();
    await relayRedis.quit().catch(() => relayRedis.disconnect());
  };

  return {
    close: () => (closing ??= close()),
    readiness: () => queues.payments.getJobCounts('active'),
    deadLetters,
    backlog,
  };
}

/** Runs `step` now and then every `intervalMs` until `signal` aborts (`step` handles its own errors). */
async function maintain(signal: AbortSignal, intervalMs: number, step: () => Promise<void>): Promise<void> {
  while (!signal.aborted) {
    await step();
    await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
  }
}
