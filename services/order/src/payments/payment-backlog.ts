/**
 * Backpressure of the payment pipeline that a user can see: how far payment is behind intake.
 * Every `backpressure.checkIntervalMs` each replica reads the age of the oldest order still
 * waiting to be charged (the oldest outbox entry, the oldest job waiting in the queue and the
 * oldest one being charged; ids carry their creation time) and compares it with
 * `backpressure.maxPaidLagMs`. Past the bound the pipeline is `behind` until the age is back
 * under half of it (hysteresis, so the signal does not flap). It is readiness-neutral: a replica
 * that is behind still serves, because every replica shares the one queue and taking a replica
 * out would only slow the draining down.
 */
import type { MetricsRegistry } from '@shipshape/observability/metrics';
import type { Queue } from 'bullmq';
import type { RedisClient } from '@shipshape/service-kit';
import { orderKeyLayout } from '../storage/keys.ts';
import type { PaymentJob } from '../storage/payment-job.ts';

/** The `backpressure.*` settings (read at every check, so runtime changes apply). */
export interface BacklogSettings {
  /** Paid-lag bound, in ms: an older waiting order makes the pipeline `behind`. */
  readonly maxPaidLagMs: number;
  /** Answer `POST /orders` with 503 `payments_backlogged` while behind. */
  readonly shed: boolean;
  /** `Retry-After` of a shed order, in ms. */
  readonly retryAfterMs: number;
}

/** What `/health` shows of the backlog (`details.payments`). */
export interface BacklogStatus {
  /** Age of the oldest order waiting to be charged, in ms (0 when none waits). */
  readonly backlogAgeMs: number;
  /** The configured bound, in ms. */
  readonly maxPaidLagMs: number;
  /** True while the backlog is older than the bound (until it is back under half of it). */
  readonly behind: boolean;
  /** True while `POST /orders` is shed (behind and `backpressure.shed`). */
  readonly shedding: boolean;
  /** When the last check ran, ISO 8601; undefined before the first. */
  readonly checkedAt: string | undefined;
}

/** Options of {@link PaymentBacklog}. */
export interface PaymentBacklogOptions {
  /** A connection for the outbox read (non-blocking commands; every partition's stream on a cluster). */
  redis: RedisClient;
  /** The payment queue (its wait and active lists). */
  queue: Queue<PaymentJob>;
  settings: () => BacklogSettings;
  /** Records `order_payment_backlog_age_seconds` and `order_paid_lag_seconds`. @default none */
  metrics?: MetricsRegistry;
  /** Clock in ms since the epoch. @default Date.now */
  now?: () => number;
}

/** Paid-lag buckets in seconds: the contract's, then up to 10 minutes (a backlog of minutes must show). */
export const paidLagBucketsSeconds = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120, 300, 600,
] as const;

/** Creation time in ms of a UUIDv7 order id, or undefined for another id. */
export function orderCreatedMs(orderId: string): number | undefined {
  const hex = orderId.replaceAll('-', '');
  if (!/^[0-9a-f]{32}$/i.test(hex) || hex[12] !== '7') return undefined;
  return Number.parseInt(hex.slice(0, 12), 16);
}

/** Creation time in ms of a stream entry id (`<ms>-<seq>`). */
function streamIdMs(id: string): number | undefined {
  const ms = Number(id.slice(0, id.indexOf('-')));
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** The backlog monitor of one replica. */
export class PaymentBacklog {
  readonly #options: PaymentBacklogOptions;
  readonly #now: () => number;
  readonly #age: ((ms: number) => void) | undefined;
  readonly #lag: ((ms: number) => void) | undefined;
  readonly #shed: (() => void) | undefined;
  #backlogAgeMs = 0;
  #behind = false;
  #checkedAt: number | undefined;

  constructor(options: PaymentBacklogOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    const { metrics } = options;
    if (metrics) {
      const age = metrics.gauge({
        name: 'order_payment_backlog_age_seconds',
        help: 'Age of the oldest order waiting to be charged (outbox, queue wait list, being charged), seconds.',
        labelNames: [],
      });
      const bound = metrics.gauge({
        name: 'order_payment_backlog_max_age_seconds',
        help: 'The configured paid-lag bound (backpressure.maxPaidLagMs), seconds.',
        labelNames: [],
      });
      this.#age = (ms) => {
        age.set(ms / 1000);
        bound.set(this.#options.settings().maxPaidLagMs / 1000);
      };
      const lag = metrics.histogram({
        name: 'order_paid_lag_seconds',
        help: 'From the 202 of POST /orders to the order becoming paid, seconds.',
        labelNames: [],
        buckets: paidLagBucketsSeconds,
      });
      this.#lag = (ms) => lag.observe(ms / 1000);
      const shed = metrics.counter({
        name: 'order_intake_shed_total',
        help: 'POST /orders answered 503 payments_backlogged because payment was behind.',
        labelNames: [],
      });
      this.#shed = () => shed.inc();
    }
  }

  /**
   * Reads the backlog age and updates the state; Redis errors propagate (the caller logs them,
   * the last state stays).
   */
  async check(): Promise<BacklogStatus> {
    const { redis, queue } = this.#options;
    // Job id = order id; `asc` puts the oldest of each list first.
    const layout = orderKeyLayout(redis);
    const [outboxes, [waiting], [active]] = await Promise.all([
      Promise.all(
        Array.from({ length: layout.partitions }, (_, partition) =>
          redis.xrange(layout.outbox(partition), '-', '+', 'COUNT', 1),
        ),
      ),
      queue.getRanges(['wait'], 0, 0, true),
      queue.getRanges(['active'], 0, 0, true),
    ]);
    const now = this.#now();
    const times = [
      ...outboxes.map((outbox) => (outbox[0] ? streamIdMs(outbox[0][0]) : undefined)),
      waiting ? orderCreatedMs(waiting) : undefined,
      active ? orderCreatedMs(active) : undefined,
    ].filter((t): t is number => t !== undefined);
    this.#backlogAgeMs = times.length === 0 ? 0 : Math.max(0, now - Math.min(...times));
    const { maxPaidLagMs } = this.#options.settings();
    if (this.#backlogAgeMs > maxPaidLagMs) this.#behind = true;
    else if (this.#backlogAgeMs < maxPaidLagMs / 2) this.#behind = false;
    this.#checkedAt = now;
    this.#age?.(this.#backlogAgeMs);
    return this.status();
  }

  /** The state of the last check. */
  status(): BacklogStatus {
    const { maxPaidLagMs, shed } = this.#options.settings();
    return {
      backlogAgeMs: this.#backlogAgeMs,
      maxPaidLagMs,
      behind: this.#behind,
      shedding: this.#behind && shed,
      checkedAt: this.#checkedAt === undefined ? undefined : new Date(this.#checkedAt).toISOString(),
    };
  }

  /**
   * Whether `POST /orders` should be shed now; counts the shed order when it should. Returns the
   * `Retry-After` in ms, or undefined to accept.
   */
  shedIntake(): number | undefined {
    const { shed, retryAfterMs } = this.#options.settings();
    if (!shed || !this.#behind) return undefined;
    this.#shed?.();
    return retryAfterMs;
  }

  /** Records the paid-lag of an order that just became paid. */
  observePaid(orderId: string): void {
    const created = orderCreatedMs(orderId);
    if (created !== undefined) this.#lag?.(Math.max(0, this.#now() - created));
  }
}
