import { atLeast, percent, perSecond } from '../framework/hypothesis.ts';
import { defenceOn, pick, type RunMode } from '../framework/run-mode.ts';
import { defineScenario } from '../framework/scenario.ts';
import { bucketQuantile, histogramWatches, type BucketLatency } from '../observe/bucket-latency.ts';
import { increase, maxInWindow } from '../observe/metric-sampler.ts';
import type { OrderAudit } from '../observe/order-audit.ts';
import { paidExactlyOnce, zeroLost } from './order-hypotheses.ts';
import { auditCreatedOrders, paymentPolicy } from './order-signals.ts';

/** What overload observes. Times are ms after the load started. */
export interface OverloadObservations {
  readonly window: { readonly startMs: number; readonly endMs: number };
  readonly adaptiveLimit: boolean;
  /** What payment can do: charges per second (its capacity ÷ latency). */
  readonly capacityPerSec: number;
  /** Orders accepted per second in the window (each one a charge to make). */
  readonly offeredPerSec: number;
  /** Charges captured per second in the window, at the payment service. */
  readonly goodputPerSec: number | undefined;
  /** Payment calls the order service made in the window (admitted ones), by duration bucket. */
  readonly admitted: BucketLatency;
  /** The adaptive limit's highest and lowest value in the window. */
  readonly limit: { readonly min: number | undefined; readonly max: number | undefined };
  readonly audit: OrderAudit;
}

/** Charges the simulated processor works on at once, and its latency per charge. */
const capacity = 2;
const latencyMs = 100;
const capacityPerSec = (capacity * 1000) / latencyMs;
/** The base rate of orders, and the burst's multiple of it (2.5 × capacity). */
const baseRate = 5;
const multiplier = 10;
/** Jobs a replica charges at once without the adaptive limit: a "large" fixed bulkhead. */
const workerConcurrency = 32;
/** The admitted calls' p99 bound, ms: well under what 32 calls queued at payment take (1.6 s). */
const p99BoundMs = 750;
/** The share of capacity the goodput must keep. */
const goodputShare = 0.9;

function burst(mode: RunMode): { afterMs: number; lengthMs: number; durationMs: number } {
  return pick(mode, {
    short: { afterMs: 4_000, lengthMs: 12_000, durationMs: 20_000 },
    full: { afterMs: 10_000, lengthMs: 30_000, durationMs: 50_000 },
  });
}

/**
 * Orders arrive at 2.5× what payment can charge (a processor that works on 2 charges at once,
 * 100 ms each: 20 per second). With the adaptive limit on the payment client, the worker takes
 * only as many charges as payment absorbs: goodput stays at capacity, admitted calls stay fast,
 * and the rest wait in the queue, pending, to be paid after the burst. `--no-defence` runs the
 * same burst with only the worker's fixed concurrency (32): the same goodput, but every call
 * waits in the line at payment.
 */
export const overload = defineScenario<OverloadObservations>({
  name: 'overload',
  title: `orders at 2.5× payment's capacity → adaptive limit keeps goodput ≥ ${percent(goodputShare)} of capacity and admitted p99 ≤ ${p99BoundMs} ms, nothing lost`,
  defence: 'adaptive concurrency limit',
  requiresLocal: true,
  setup: (mode) => ({
    serviceEnv: {
      payment: { CHAOS__CAPACITY: String(capacity), CHAOS__LATENCY_MS: String(latencyMs) },
      order: {
        WORKER__CONCURRENCY: String(workerConcurrency),
        ...(defenceOn(mode) ? { PAYMENT_CLIENT__CONCURRENCY_LIMIT__ENABLED: 'true' } : {}),
      },
    },
  }),
  load: (mode) => {
    const b = burst(mode);
    return {
      // --no-fault: the base load only, well within capacity.
      profile: mode.fault
        ? {
            profile: 'spike',
            rate: baseRate,
            durationMs: b.durationMs,
            spikeAfterMs: b.afterMs,
            spikeLengthMs: b.lengthMs,
            spikeMultiplier: multiplier,
          }
        : { profile: 'steady', rate: baseRate, durationMs: b.durationMs },
      mix: { 'create-order': 1 },
    };
  },
  watch: () => ({
    metrics: [
      ...histogramWatches('call', 'order', 'http_client_request_duration_seconds', {
        peer_service: 'payment',
      }),
      { key: 'captured', service: 'payment', metric: 'payments_total', labels: { outcome: 'captured' } },
      {
        key: 'limit',
        service: 'order',
        metric: 'resilience_concurrency_limit',
        labels: { name: paymentPolicy },
      },
    ],
  }),
  timeline: () => [],
  async observe(context) {
    const b = burst(context.mode);
    // The first 3 s of the burst let the limit find payment's capacity.
    const startMs = b.afterMs + 3_000;
    const endMs = b.afterMs + b.lengthMs;
    const seconds = (endMs - startMs) / 1000;
    const series = (key: string) => context.metrics.series(key);
    const offered = context.requests
      .select({ kind: 'create-order', fromMs: startMs, toMs: endMs })
      .filter((r) => r.status === '202').length;
    const captured = increase(series('captured'), startMs, endMs);
    const audit = await auditCreatedOrders(context, pick(context.mode, { short: 45_000, full: 90_000 }));
    return {
      window: { startMs, endMs },
      adaptiveLimit: defenceOn(context.mode),
      capacityPerSec,
      offeredPerSec: Math.round((offered / seconds) * 10) / 10,
      goodputPerSec: captured === undefined ? undefined : Math.round((captured / seconds) * 10) / 10,
      admitted: bucketQuantile(series, 'call', startMs, endMs, 0.99),
      limit: {
        min: negate(
          maxInWindow(
            series('limit').map((p) => ({ ...p, value: -p.value })),
            startMs,
            endMs,
          ),
        ),
        max: maxInWindow(series('limit'), startMs, endMs),
      },
      audit,
    };
  },
  hypotheses: [
    {
      id: 'overloaded',
      statement: `orders arrive at ≥ 2× what payment can charge (${capacityPerSec}/s)`,
      check: (o) => atLeast(o.offeredPerSec, 2 * o.capacityPerSec, perSecond),
    },
    {
      id: 'goodput-held',
      statement: `payment keeps charging at ≥ ${percent(goodputShare)} of its capacity through the overload`,
      check: (o) => atLeast(o.goodputPerSec, goodputShare * o.capacityPerSec, perSecond),
    },
    {
      id: 'admitted-p99-bounded',
      statement: `the p99 of the payment calls the order service makes stays ≤ ${p99BoundMs} ms`,
      check: (o) => {
        const share = o.admitted.count > 0 ? o.admitted.within[String(p99BoundMs)] : undefined;
        return {
          ...atLeast(share, 0.99, percent),
          observed: `${percent(share ?? 0)} of ${o.admitted.count} calls within ${p99BoundMs} ms (p99 ≤ ${o.admitted.quantileMs ?? '?'} ms; ${o.adaptiveLimit ? `limit ${o.limit.min ?? '-'}..${o.limit.max ?? '-'}` : 'no adaptive limit'})`,
          expected: `≥ 99.0% within ${p99BoundMs} ms`,
        };
      },
    },
    paidExactlyOnce('after the overload every order is paid, with exactly one captured payment'),
    zeroLost('no order is lost: the ones that waited in the queue are paid after the overload'),
  ],
});

function negate(value: number | undefined): number | undefined {
  return value === undefined ? undefined : -value;
}
