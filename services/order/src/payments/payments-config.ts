/**
 * The configuration keys of the payment pipeline (outbox relay, BullMQ worker, dead letters and
 * the payment-service client), as a zod shape the order service spreads into its own schema:
 * `z.object({ ...serviceConfigShape({ port: 3002 }), ...paymentsConfigShape, ... })`.
 */
import { duration } from '@shipshape/config';
import * as z from 'zod';

/**
 * Zod shape of the payment pipeline's keys. Env names follow `@shipshape/config`:
 * `PAYMENT_SERVICE_URL`, `WORKER__CONCURRENCY`, `PAYMENT_CLIENT__TIMEOUT_MS`, …
 */
export const paymentsConfigShape = {
  /**
   * The payment service (`PAYMENT_SERVICE_URL`): one URL, a comma-separated list of endpoints, or
   * a hostname resolving to several addresses. Static: the client is built at startup.
   * @default 'http://127.0.0.1:3003'
   */
  paymentServiceUrl: z.string().min(1).default('http://127.0.0.1:3003'),
  worker: z
    .object({
      /**
       * Jobs charged at once by this replica, at most; runtime (applied to the running worker).
       * A charge is a few ms of work spread over order, payment and Redis, so a small number
       * leaves the machine idle while orders queue (8 drained about half the intake a 2-core
       * machine accepts). With `paymentClient.concurrencyLimit` on, the learnt limit caps it.
       * The payment client keeps 128 connections per endpoint, enough for this default.
       * @default 64
       */
      concurrency: z.int().min(1).max(1_000).default(64),
      /**
       * Attempts per job, the first included; after the last one the job goes to the dead-letter
       * queue and the order becomes `payment_failed`. Runtime (read when a job is enqueued).
       * @default 10 (with the backoff defaults: about 4 minutes of payment outage before a dead letter)
       */
      attempts: z.int().min(1).max(1_000).default(10),
      /**
       * Delay before the first retry, in ms; doubles per attempt. Runtime.
       * @default 1_000
       */
      backoffMs: duration(z.number().int().min(1).max(3_600_000)).default(1_000),
      /**
       * Longest delay between attempts, in ms (an upstream `Retry-After` may be longer). Runtime.
       * @default 60_000
       */
      backoffMaxMs: duration(z.number().int().min(1).max(86_400_000)).default(60_000),
      /**
       * Share of each delay that is random, 0..1: the delay is uniform in
       * `[d × (1 − jitter), d]`, so retries of many jobs after one outage spread out. Runtime.
       * @default 0.5
       */
      jitter: z.number().min(0).max(1).default(0.5),
      /**
       * How long a worker's lock on an active job lasts without renewal, in ms (renewed every half
       * of it while the job runs). After a crash the job is stalled once the lock expired. Static.
       * @default 15_000
       */
      lockDurationMs: duration(z.number().int().min(1_000).max(600_000)).default(15_000),
      /**
       * How often a worker looks for stalled jobs (lock expired), in ms; a crashed replica's jobs
       * are retried within about `lockDurationMs + stalledIntervalMs`. Static.
       * @default 10_000
       */
      stalledIntervalMs: duration(z.number().int().min(1_000).max(600_000)).default(10_000),
      /**
       * Times a job may stall (its worker died mid-job) before it is failed for good and goes to the
       * dead-letter queue. Static.
       * @default 3
       */
      maxStalledCount: z.int().min(0).max(100).default(3),
      /**
       * Longest wait on shutdown for in-flight jobs, in ms; jobs still running afterwards are left
       * to stalled-job recovery (their charge is idempotent). Static.
       * @default 10_000
       */
      shutdownTimeoutMs: duration(z.number().int().min(0).max(600_000)).default(10_000),
      /**
       * A worker that neither started nor finished a charge for this long while charges wait
       * in the queue is replaced by a new one (`WorkerWatchdog`), in ms. BullMQ workers can stop
       * taking jobs after a Redis failover with no error to show for it; the new worker gets
       * fresh connections, and the charges the old one held run again after their lock.
       * Runtime.
       * @default 15_000
       */
      stuckAfterMs: duration(z.number().int().min(1_000).max(600_000)).default(15_000),
      /**
       * Pause of the outbox relay when it found nothing, in ms. Static.
       * @default 200
       */
      relayPollIntervalMs: duration(z.number().int().min(10).max(60_000)).default(200),
      /**
       * An outbox entry another replica read but did not hand to the queue for this long is taken
       * over (that replica presumably died between reading and enqueueing), in ms. Keep it above
       * the slowest enqueue. Static.
       * @default 30_000
       */
      relayClaimIdleMs: duration(z.number().int().min(100).max(3_600_000)).default(30_000),
      /**
       * Most outbox entries the relay reads and hands to the queue (one `addBulk`) per source and
       * step. Static.
       * @default 100
       */
      relayBatchSize: z.int().min(1).max(10_000).default(100),
      /**
       * Pause of the relay after a step that found fewer entries than `relayBatchSize`, in ms:
       * entries gather into the next batch (fewer Redis round trips per order) at the price of at
       * most this much paid-lag. 0 steps again at once. Static.
       * @default 10
       */
      relayLingerMs: duration(z.number().int().min(0).max(1_000)).default(10),
    })
    .prefault({}),
  backpressure: z
    .object({
      /**
       * Paid-lag bound, in ms: while the oldest order waiting to be charged is older than this,
       * the pipeline is `behind` (`/health` `details.payments.behind`,
       * `order_payment_backlog_age_seconds` above `order_payment_backlog_max_age_seconds`) until the
       * age is back under half of it. Runtime.
       * @default 10_000
       */
      maxPaidLagMs: duration(z.number().int().min(100).max(86_400_000)).default(10_000),
      /**
       * While behind, answer `POST /orders` with 503 `payments_backlogged` and `Retry-After`
       * (counted in `order_intake_shed_total`) instead of accepting orders that would wait longer
       * still. Off by default: an accepted order is durable and is paid once payment catches up.
       * Runtime.
       * @default false
       */
      shed: z.boolean().default(false),
      /**
       * `Retry-After` of a shed order, in ms (whole seconds on the wire, at least 1). Runtime.
       * @default 5_000
       */
      retryAfterMs: duration(z.number().int().min(0).max(3_600_000)).default(5_000),
      /**
       * How often each replica reads the backlog age, in ms (three Redis reads). Static.
       * @default 1_000
       */
      checkIntervalMs: duration(z.number().int().min(100).max(60_000)).default(1_000),
    })
    .prefault({}),
  paymentClient: z
    .object({
      /**
       * Total budget of one charge (every client-side attempt and wait), in ms. Static.
       * @default 5_000
       */
      timeoutMs: duration(z.number().int().min(1).max(300_000)).default(5_000),
      /**
       * Budget of one HTTP attempt, in ms. Static.
       * @default 2_000
       */
      perTryTimeoutMs: duration(z.number().int().min(1).max(300_000)).default(2_000),
      /**
       * HTTP attempts inside one job attempt (the first included); they move to another endpoint
       * quickly, while the queue's backoff handles longer outages. Static.
       * @default 2
       */
      maxAttempts: z.int().min(1).max(10).default(2),
      /**
       * Longest upstream `Retry-After` the client waits for inside a job attempt, in ms; a longer one
       * fails the attempt and the queue delays the retry by it instead. Static.
       * @default 1_000
       */
      maxRetryAfterMs: duration(z.number().int().min(0).max(60_000)).default(1_000),
      /**
       * Share of failed calls in the breaker's 10 s window that opens an endpoint's breaker, (0, 1]. Static.
       * @default 0.5
       */
      breakerFailureRateThreshold: z.number().gt(0).max(1).default(0.5),
      /**
       * Calls in the window before the breaker judges the failure rate. Static.
       * @default 10
       */
      breakerMinimumCalls: z.int().min(1).max(10_000).default(10),
      /**
       * How long an open breaker stays open before a probe, in ms. Static.
       * @default 5_000
       */
      breakerOpenDurationMs: duration(z.number().int().min(1).max(600_000)).default(5_000),
      /**
       * Hedged charges (`@shipshape/resilience` hedging; a charge carries its Idempotency-Key, so
       * a copy is safe): when a charge has not answered after the hedge delay, a copy goes to
       * another payment endpoint and the first answer wins. Static.
       */
      hedging: z
        .object({
          /** Hedge charges at all. @default false */
          enabled: z.boolean().default(false),
          /**
           * A fixed hedge delay, in ms; 0 follows the live `percentile` of the charges' latency.
           * @default 0
           */
          delayMs: duration(z.number().int().min(0).max(60_000)).default(0),
          /** The latency percentile that triggers a hedge, (0, 100). @default 95 */
          percentile: z.number().gt(0).lt(100).default(95),
          /** Hedged copies per charge attempt. @default 1 */
          maxHedges: z.int().min(1).max(4).default(1),
        })
        .prefault({}),
      /**
       * Adaptive concurrency limit towards payment (`@shipshape/resilience` ConcurrencyLimiter):
       * charges in flight at once are learnt from their latency; the worker takes no more jobs
       * than the limit (nor than `worker.concurrency`), so an overloaded payment service makes
       * orders wait in the queue instead of piling up latency. Static.
       */
      concurrencyLimit: z
        .object({
          /** Limit charges adaptively at all. @default false */
          enabled: z.boolean().default(false),
          /** `gradient2` (latency-based) or `aimd` (loss-based). @default 'gradient2' */
          algorithm: z.enum(['gradient2', 'aimd']).default('gradient2'),
          /** The limit before any charge was measured. @default 20 */
          initialLimit: z.int().min(1).max(1_000).default(20),
          /** The limit never drops below this. @default 1 */
          minLimit: z.int().min(1).max(1_000).default(1),
          /** The limit never grows beyond this. @default 200 */
          maxLimit: z.int().min(1).max(1_000).default(200),
          /**
           * Charges the gradient2 long-term latency average spans. Larger than the library's
           * 600 because charges are few (tens per second): over 600 a sustained overload would
           * become the new normal within half a minute and the limit would drift back up.
           * @default 3_000
           */
          longWindow: z.int().min(10).max(1_000_000).default(3_000),
        })
        .prefault({}),
    })
    .prefault({}),
};

/** The validated configuration of the payment pipeline (the part of the order config it reads). */
export type PaymentsConfig = z.output<z.ZodObject<typeof paymentsConfigShape>>;

/** Keys of {@link paymentsConfigShape} that only apply at startup; a runtime change is ignored. */
export const paymentsStaticConfigKeys = [
  'paymentServiceUrl',
  'worker.lockDurationMs',
  'worker.stalledIntervalMs',
  'worker.maxStalledCount',
  'worker.shutdownTimeoutMs',
  'worker.relayPollIntervalMs',
  'worker.relayClaimIdleMs',
  'worker.relayBatchSize',
  'worker.relayLingerMs',
  'backpressure.checkIntervalMs',
  'paymentClient',
] as const;
