import { allOf, atLeast, atMost, millis, percent } from '../framework/hypothesis.ts';
import { defenceOn, pick } from '../framework/run-mode.ts';
import { defineScenario } from '../framework/scenario.ts';
import { findEvent } from '../framework/timeline.ts';
import { bucketQuantile, histogramWatches, type BucketLatency } from '../observe/bucket-latency.ts';
import { increase } from '../observe/metric-sampler.ts';
import type { OrderAudit } from '../observe/order-audit.ts';
import { paidExactlyOnce, zeroLost } from './order-hypotheses.ts';
import { auditCreatedOrders, paymentPathWatches, paymentPolicy, paymentsQueue } from './order-signals.ts';

/** What slow-replica observes. Times are ms after the load started. */
export interface SlowReplicaObservations {
  readonly fault: { readonly startMs: number; readonly endMs: number; readonly injected: boolean };
  readonly hedging: boolean;
  /** Charges (payment job runs) during the fault: their duration by bucket. */
  readonly charges: BucketLatency;
  readonly hedgesSent: number | undefined;
  readonly hedgesWon: number | undefined;
  readonly retries: number | undefined;
  readonly audit: OrderAudit;
}

/** Latency the slow replica adds to every request, ms. */
const slowMs = 500;
/** The slow replica (of three). */
const slowIndex = 2;
/**
 * The p99 bound of a charge while one replica is slow, ms: below the slowness itself (a call
 * the slow replica answers takes longer), so the bound holds only if hedges answer for it.
 */
const p99BoundMs = 500;
/** Hedges that must win, as a share of charges: the slow replica's share, roughly, with margin. */
const minWonShare = 0.1;
/** The retry budget hedges draw from: 20 % of calls plus 10 per second. */
const budget = { ratio: 0.2, perSecond: 10 };

/**
 * One of three payment replicas slows down by 500 ms (`chaos.requestLatencyMs` on that replica
 * alone). Nothing fails, so retries and breakers do nothing; hedged charges go to another
 * replica after the live p95 and win, so the order→payment p99 stays low, and the hedges stay
 * within the retry budget. `--no-defence` runs it without hedging: the p99 follows the slow
 * replica.
 */
export const slowReplica = defineScenario<SlowReplicaObservations>({
  name: 'slow-replica',
  title: `one payment replica +${slowMs} ms → hedged charges keep the order→payment p99 under ${p99BoundMs} ms, within the retry budget`,
  defence: 'hedging',
  requiresLocal: true,
  setup: (mode) => ({
    replicas: { payment: 3 },
    serviceEnv: defenceOn(mode) ? { order: { PAYMENT_CLIENT__HEDGING__ENABLED: 'true' } } : {},
  }),
  load: (mode) => ({
    profile: {
      profile: 'steady',
      rate: pick(mode, { short: 20, full: 30 }),
      durationMs: pick(mode, { short: 20_000, full: 60_000 }),
    },
    mix: { 'create-user': 1, 'create-order': 4 },
  }),
  watch: () => ({
    metrics: [
      ...paymentPathWatches,
      ...histogramWatches('charge', 'order', 'queue_job_duration_seconds', { queue: paymentsQueue }),
      {
        key: 'hedgesSent',
        service: 'order',
        metric: 'resilience_hedges_sent_total',
        labels: { name: paymentPolicy },
      },
      {
        key: 'hedgesWon',
        service: 'order',
        metric: 'resilience_hedges_won_total',
        labels: { name: paymentPolicy },
      },
    ],
  }),
  timeline: (mode) => {
    const at = pick(mode, { short: 4_000, full: 10_000 });
    const lengthMs = pick(mode, { short: 14_000, full: 45_000 });
    return [
      {
        atMs: at,
        name: `payment-${slowIndex} chaos.requestLatencyMs=${slowMs}`,
        run: ({ environment }) =>
          environment.setConfig('payment', { 'chaos.requestLatencyMs': slowMs }, slowIndex),
      },
      {
        atMs: at + lengthMs,
        kind: 'action',
        name: `payment-${slowIndex} back to normal`,
        run: ({ environment }) => environment.clearConfig('payment', ['chaos.requestLatencyMs'], slowIndex),
      },
    ];
  },
  async observe(context) {
    const on = findEvent(context.events, `payment-${slowIndex} chaos`)!;
    const off = findEvent(context.events, `payment-${slowIndex} back`)!;
    // The first second lets the live hedge delay learn the charges' latency.
    const startMs = on.endedMs + 1_000;
    const endMs = off.startedMs;
    const series = (key: string) => context.metrics.series(key);
    const audit = await auditCreatedOrders(context, pick(context.mode, { short: 30_000, full: 60_000 }));
    return {
      fault: { startMs: Math.round(startMs), endMs: Math.round(endMs), injected: !on.skipped },
      hedging: defenceOn(context.mode),
      charges: bucketQuantile(series, 'charge', startMs, endMs, 0.99),
      hedgesSent: increase(series('hedgesSent'), startMs, endMs),
      hedgesWon: increase(series('hedgesWon'), startMs, endMs),
      retries: increase(series('retries'), startMs, endMs),
      audit,
    };
  },
  hypotheses: [
    {
      id: 'p99-bounded',
      statement: `the order→payment p99 (charge jobs) stays under the slow replica's ${slowMs} ms`,
      check: (o) => ({
        ...atLeast(o.charges.count > 0 ? o.charges.within[String(p99BoundMs)] : undefined, 0.99, percent),
        observed: `${percent(o.charges.within[String(p99BoundMs)] ?? 0)} of ${o.charges.count} charges within ${p99BoundMs} ms (p99 ≤ ${o.charges.quantileMs === undefined ? '?' : millis(o.charges.quantileMs)})`,
        expected: `≥ 99.0% within ${p99BoundMs} ms`,
      }),
    },
    {
      id: 'hedges-win',
      statement: `hedged copies answer the slow replica's charges (≥ ${percent(minWonShare)} of charges won by a hedge)`,
      check: (o) => {
        const share =
          o.charges.count > 0 && o.hedgesWon !== undefined ? o.hedgesWon / o.charges.count : undefined;
        return {
          ...atLeast(share, minWonShare, percent),
          observed: `${o.hedgesWon ?? 'no'} of ${o.charges.count} charges won by a hedge (${o.hedgesSent ?? 0} hedges sent)`,
        };
      },
    },
    {
      id: 'hedges-within-budget',
      statement: `hedges and retries stay within the retry budget (${percent(budget.ratio)} of calls + ${budget.perSecond}/s)`,
      check: (o) => {
        const extra = (o.hedgesSent ?? 0) + (o.retries ?? 0);
        const allowed = Math.floor(
          budget.ratio * o.charges.count + (budget.perSecond * (o.fault.endMs - o.fault.startMs)) / 1000,
        );
        return allOf({
          ...atMost(extra, allowed),
          observed: `${extra} extra attempts (${o.hedgesSent ?? 0} hedges, ${o.retries ?? 0} retries) for ${o.charges.count} charges`,
        });
      },
    },
    paidExactlyOnce('every order is paid once, hedged copies included (one Idempotency-Key)'),
    zeroLost(),
  ],
});
