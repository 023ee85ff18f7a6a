/**
 * Names and specs of the hedging and adaptive-concurrency metrics, in the contract's style
 * (`resilience_` prefix, `name` label = the policy or upstream, `_total` counters). Kept apart
 * from `names.ts` because they are not in the original contract table; every other rule of that
 * file applies (closed label values, no ids).
 */
import { LABEL } from './names.ts';

/** Metric names. */
export const ADAPTIVE_METRIC = {
  /** Counter. Labels: name. Hedged attempts sent (copies of a slow attempt to another endpoint). */
  hedgesSent: 'resilience_hedges_sent_total',
  /** Counter. Labels: name. Calls answered by a hedged attempt rather than the first one. */
  hedgesWon: 'resilience_hedges_won_total',
  /** Counter. Labels: name, reason = budget | no_endpoint | concurrency_limit. Hedges due but not sent. */
  hedgesSkipped: 'resilience_hedges_skipped_total',
  /** Gauge, read at scrape time. Labels: name. The adaptive concurrency limit now, in calls. */
  concurrencyLimit: 'resilience_concurrency_limit',
  /** Gauge, read at scrape time. Labels: name. Calls in flight under the adaptive limit. */
  concurrencyLimitInFlight: 'resilience_concurrency_limit_in_flight',
  /** Counter. Labels: name. Calls rejected because the adaptive limit was reached. */
  concurrencyLimitRejected: 'resilience_concurrency_limit_rejected_total',
} as const;

/** The `reason` values of `resilience_hedges_skipped_total`. */
export const HEDGE_SKIP_REASONS = ['budget', 'no_endpoint', 'concurrency_limit'] as const;

/** Span event names the hedging bridge adds to the active span. */
export const ADAPTIVE_SPAN_EVENT = {
  /** A hedged attempt was sent. Attributes: policy, hedge, delay_ms. */
  hedge: 'hedge',
  /** A call was refused by the adaptive concurrency limit. Attributes: policy, limit. */
  concurrencyLimited: 'concurrency_limited',
} as const;

/** The specs, so every recorder asks the registry for the same instance. */
export const ADAPTIVE_METRICS = {
  hedgesSent: {
    name: ADAPTIVE_METRIC.hedgesSent,
    help: 'Hedged attempts sent: copies of a slow attempt sent to another endpoint.',
    labelNames: [LABEL.name],
  },
  hedgesWon: {
    name: ADAPTIVE_METRIC.hedgesWon,
    help: 'Calls answered by a hedged attempt rather than by the first attempt.',
    labelNames: [LABEL.name],
  },
  hedgesSkipped: {
    name: ADAPTIVE_METRIC.hedgesSkipped,
    help: 'Hedges that were due but not sent, by reason (budget, no_endpoint, concurrency_limit).',
    labelNames: [LABEL.name, LABEL.reason],
  },
  concurrencyLimit: {
    name: ADAPTIVE_METRIC.concurrencyLimit,
    help: 'The adaptive concurrency limit: calls allowed in flight at once, learnt from latency.',
    labelNames: [LABEL.name],
  },
  concurrencyLimitInFlight: {
    name: ADAPTIVE_METRIC.concurrencyLimitInFlight,
    help: 'Calls in flight under the adaptive concurrency limit.',
    labelNames: [LABEL.name],
  },
  concurrencyLimitRejected: {
    name: ADAPTIVE_METRIC.concurrencyLimitRejected,
    help: 'Calls rejected at once because the adaptive concurrency limit was reached.',
    labelNames: [LABEL.name],
  },
} as const;
