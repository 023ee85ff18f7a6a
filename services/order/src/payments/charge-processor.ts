import { trace } from '@opentelemetry/api';
/**
 * What the worker does with one charge job: read the order, charge the payment service, apply
 * the outcome with the order's compare-and-set, or park the charge as a dead letter.
 */
import type { MetricsRegistry } from '@shipshape/observability/metrics';
import { ordersCounter } from '../metrics.ts';
import { DelayedError, WaitingError, type Job } from 'bullmq';
import type { OrderStatus } from '../schemas.ts';
import type { OrderRepository } from '../storage/order-repository.ts';
import type { PaymentJob } from '../storage/payment-job.ts';
import type { DeadLetters } from './dead-letters.ts';
import { isRejectedPaymentError } from './errors/rejected-payment-error.ts';
import { isTransientPaymentError } from './errors/transient-payment-error.ts';
import type { SettledCharge } from './payment-client.ts';
import { linkSignals } from './linked-signal.ts';

/** How a charge job ended (the `outcome` label of `queue_job_duration_seconds`). */
export type ChargeOutcome =
  /** The payment service captured the charge; the order is `paid`. */
  | 'paid'
  /** The payment service declined it; the order is `payment_declined` (final, no retry). */
  | 'declined'
  /** Given up (attempts exhausted or rejected): parked in the dead-letter queue, order `payment_failed`. */
  | 'dead_lettered'
  /** The order was already settled (a duplicate job or a replay of a settled order): nothing charged. */
  | 'already_settled'
  /** The order does not exist (should not happen: the outbox writes both atomically). */
  | 'order_missing';

/** The job's return value (kept with the completed job). */
export interface ChargeResult {
  readonly outcome: ChargeOutcome;
  readonly status?: OrderStatus;
  readonly paymentId?: string;
}

/** What charges (a `PaymentClient` fits). */
export interface Charger {
  charge(job: PaymentJob, signal?: AbortSignal): Promise<SettledCharge>;
}

/** What the processor logs through. */
export interface ChargeLogger {
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** Collaborators of {@link createChargeProcessor}. */
export interface ChargeProcessorOptions {
  repository: OrderRepository;
  charger: Charger;
  deadLetters: DeadLetters;
  logger: ChargeLogger;
  /**
   * Registry of `orders_total{status}` (final statuses).
   * @default none: not counted
   */
  metrics?: MetricsRegistry;
  /**
   * Aborts every charge in flight (the pipeline's forced shutdown); BullMQ's per-job signal
   * aborts too.
   * @default none
   */
  signal?: AbortSignal;
  /**
   * Called with the order id whenever this processor moved an order to `paid` (its
   * compare-and-set applied): the paid-lag histogram.
   * @default none
   */
  onPaid?: (orderId: string) => void;
}

const settled: ReadonlySet<OrderStatus> = new Set(['paid', 'payment_declined']);

/** True when this run is the job's last allowed attempt. */
function isLastAttempt(job: Job<PaymentJob>): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * The BullMQ processor of charge jobs. A transient failure is rethrown (BullMQ retries it after
 * the payment backoff) unless this was the last attempt; then, and for a rejected request, the
 * charge is parked as a dead letter and the job completes with `dead_lettered`. Any other error
 * (Redis down during the compare-and-set, a bug) is rethrown too; if it happens on the last
 * attempt BullMQ fails the job and `DeadLetters.parkFailedJobs` parks it.
 */
export function createChargeProcessor(
  options: ChargeProcessorOptions,
): (job: Job<PaymentJob>, token?: string, signal?: AbortSignal) => Promise<ChargeResult> {
  const orders = options.metrics ? ordersCounter(options.metrics) : undefined;

  /** Compare-and-set from the status the order had (`pending`, or `payment_failed` on a replay). */
  async function settle(orderId: string, from: OrderStatus, to: OrderStatus): Promise<OrderStatus> {
    let current = from;
    for (let i = 0; i < 3 && !settled.has(current); i += 1) {
      const result = await options.repository.setOrderStatus(orderId, current, to);
      if (result.outcome === 'not_found') return current;
      if (result.outcome === 'updated') {
        orders?.inc({ status: to });
        if (to === 'paid') options.onPaid?.(orderId);
        return to;
      }
      current = result.order.status; // moved meanwhile (parked by a sweep): try again from there
    }
    if (current !== to) {
      options.logger.error(
        { orderId, status: current, outcome: to },
        'order settled differently than the charge',
      );
    }
    return current;
  }

  return (job, token, signal) =>
    (async () => {
      // The worker runs each attempt inside its CONSUMER span (`withProcessSpan`).
      const span = trace.getActiveSpan();
      const { orderId } = job.data;
      const order = await options.repository.getOrder(orderId);
      if (!order) {
        options.logger.error({ orderId }, 'charge job for an order that does not exist');
        return { outcome: 'order_missing' };
      }
      if (settled.has(order.status)) return { outcome: 'already_settled', status: order.status };
      let charge: SettledCharge;
      // BullMQ's per-job signal and the pipeline's forced shutdown, linked with listeners that
      // are removed when the charge ends (see linked-signal.ts for why not AbortSignal.any).
      const linked = linkSignals([signal, options.signal]);
      try {
        charge = await options.charger.charge(job.data, linked.signal);
      } catch (error) {
        if (options.signal?.aborted && token !== undefined) {
          // Shutdown cut the charge short: hand the job back without spending an attempt; another
          // replica charges it again with the same Idempotency-Key.
          await job.moveToWait(token);
          throw new WaitingError();
        }
        if (isTransientPaymentError(error) && error.reason === 'concurrency_limited' && token !== undefined) {
          // Shed by the adaptive limit before anything was sent: not a failed attempt. The job
          // waits out the hint and runs again, however long the overload lasts (nothing lost).
          await job.moveToDelayed(Date.now() + (error.retryAfterMs ?? 1_000), token);
          throw new DelayedError();
        }
        const rejected = isRejectedPaymentError(error);
        if (!rejected && !(isTransientPaymentError(error) && isLastAttempt(job))) throw error;
        const reason = rejected ? `rejected_${error.status}` : error.reason;
        span?.setAttribute('payment.dead_letter_reason', reason);
        await options.deadLetters.park(job.data, {
          attempts: job.attemptsMade + 1,
          reason,
          message: error.message,
        });
        options.logger.warn(
          { orderId, reason, attempts: job.attemptsMade + 1 },
          'charge parked in the dead-letter queue',
        );
        return { outcome: 'dead_lettered', status: 'payment_failed' };
      } finally {
        linked.dispose();
      }
      span?.setAttribute('payment.status', charge.status);
      const to: OrderStatus = charge.status === 'captured' ? 'paid' : 'payment_declined';
      const status = await settle(orderId, order.status, to);
      return {
        outcome: charge.status === 'captured' ? 'paid' : 'declined',
        status,
        paymentId: charge.paymentId,
      };
    })();
}
