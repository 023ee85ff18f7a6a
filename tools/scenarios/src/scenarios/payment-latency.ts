import { allOf, atLeast, atMost, millis } from '../framework/hypothesis.ts';
import { pick } from '../framework/run-mode.ts';
import { defineScenario } from '../framework/scenario.ts';
import { findEvent } from '../framework/timeline.ts';
import { increase, maxInWindow } from '../observe/metric-sampler.ts';
import type { OrderAudit } from '../observe/order-audit.ts';
import { latencyPercentile } from '../observe/request-log.ts';
import { paidExactlyOnce, zeroLost } from './order-hypotheses.ts';
import { auditCreatedOrders, paymentPathWatches } from './order-signals.ts';

/** What payment-latency observes. Times are ms after the load started. */
export interface PaymentLatencyObservations {
  readonly fault: {
    readonly startMs: number;
    readonly endMs: number;
    readonly latencyMs: number;
    readonly injected: boolean;
  };
  /** The order service's per-try timeout toward payment, ms (from its `GET /config`). */
  readonly perTryTimeoutMs: number;
  /** Jobs a replica charges at once (`worker.concurrency`) × order replicas: the concurrency cap. */
  readonly concurrencyCap: number;
  /** Per-try timeouts of the payment client during the fault. */
  readonly timeouts: number | undefined;
  /** Most payment calls in flight at once (bulkhead gauge, summed over replicas) during the fault. */
  readonly maxInFlight: number | undefined;
  /** GET /orders/:id during the fault: count and p99 from the intended send time, ms. */
  readonly reads: { readonly count: number; readonly p99Ms: number | undefined };
  /** The read SLO, ms. */
  readonly readSloMs: number;
  readonly audit: OrderAudit;
}

/**
 * Injected processor latency, ms: the "+2 s", or 1 s over a target's longer per-try
 * timeout, so the timeouts have something to cut.
 */
const injectedLatencyMs = 2_000;

function latencyOf(notes: ReadonlyMap<string, unknown>): number {
  return Math.max(injectedLatencyMs, ((notes.get('perTryTimeoutMs') as number | undefined) ?? 0) + 1_000);
}
/** Per-try timeout the scenario gives the order service's payment client, ms (well under the latency). */
const perTryTimeoutMs = 1_000;
/**
 * Charges a replica works on at once in this scenario (`worker.concurrency`): small enough that
 * the slow charges of this load reach it, so the cap is seen holding (the default is sized for
 * throughput, far above what 8 orders/s can fill).
 */
const workerConcurrency = 8;
/** `GET /orders/:id` p99 objective, ms (the POST /orders latency SLO of infra/README, applied to reads). */
const readSloMs = 500;

/**
 * The payment processor slows down by 2 s (runtime chaos `chaos.latencyMs`). Per-try timeouts
 * must cut the slow calls, the worker's concurrency (the bulkhead of the payment path) must cap
 * how many calls wait on payment, and reads of orders must stay fast: the slowness stays inside
 * the asynchronous payment path. After the latency goes away every order is paid once.
 */
export const paymentLatency = defineScenario<PaymentLatencyObservations>({
  name: 'payment-latency',
  title: 'payment +2 s latency → per-try timeouts fire, concurrency capped, GET /orders/:id p99 within SLO',
  requiresLocal: false,
  setup: () => ({
    serviceEnv: {
      order: {
        PAYMENT_CLIENT__PER_TRY_TIMEOUT_MS: String(perTryTimeoutMs),
        WORKER__CONCURRENCY: String(workerConcurrency),
      },
    },
  }),
  async prepare(context) {
    // Against a running system the concurrency is a runtime setting (applied within a second).
    if (context.environment.mode === 'target')
      await context.environment.setConfig('order', { 'worker.concurrency': workerConcurrency });
    const config = await context.environment.readConfig('order');
    context.notes.set('perTryTimeoutMs', Number(config['paymentClient.perTryTimeoutMs']?.value));
    context.notes.set(
      'concurrencyCap',
      Number(config['worker.concurrency']?.value) * context.environment.urls('order').length,
    );
  },
  load: (mode) => ({
    profile: {
      profile: 'steady',
      rate: pick(mode, { short: 20, full: 30 }),
      durationMs: pick(mode, { short: 22_000, full: 75_000 }),
    },
    mix: { 'create-user': 1, 'create-order': 4, 'read-order': 5 },
  }),
  watch: () => ({ metrics: paymentPathWatches }),
  timeline: (mode) => {
    const at = pick(mode, { short: 5_000, full: 15_000 });
    const lengthMs = pick(mode, { short: 12_000, full: 40_000 });
    return [
      {
        atMs: at,
        name: 'payment chaos.latencyMs (+2 s)',
        run: async ({ environment, notes, log }) => {
          const latencyMs = latencyOf(notes);
          log(`payment chaos.latencyMs=${latencyMs}`);
          await environment.setConfig('payment', { 'chaos.latencyMs': latencyMs });
        },
      },
      {
        atMs: at + lengthMs,
        kind: 'action',
        name: 'payment latency back to normal',
        run: async ({ environment }) => environment.clearConfig('payment', ['chaos.latencyMs']),
      },
    ];
  },
  async cleanup(context) {
    if (context.environment.mode === 'target') {
      await context.environment.clearConfig('payment', ['chaos.latencyMs']);
      await context.environment.clearConfig('order', ['worker.concurrency']);
    }
  },
  async observe(context) {
    const on = findEvent(context.events, 'payment chaos.latencyMs')!;
    const off = findEvent(context.events, 'payment latency back')!;
    const startMs = on.endedMs;
    const endMs = off.startedMs;
    const reads = context.requests.select({ kind: 'read-order', fromMs: startMs, toMs: endMs });
    const audit = await auditCreatedOrders(context, pick(context.mode, { short: 30_000, full: 90_000 }));
    const p99 = latencyPercentile(reads, 99);
    return {
      fault: {
        startMs: Math.round(startMs),
        endMs: Math.round(endMs),
        latencyMs: latencyOf(context.notes),
        injected: !on.skipped,
      },
      perTryTimeoutMs: context.notes.get('perTryTimeoutMs') as number,
      concurrencyCap: context.notes.get('concurrencyCap') as number,
      timeouts: increase(context.metrics.series('timeouts'), startMs, endMs),
      maxInFlight: maxInWindow(context.metrics.series('inFlight'), startMs, endMs),
      reads: { count: reads.length, p99Ms: p99 === undefined ? undefined : Math.round(p99) },
      readSloMs,
      audit,
    };
  },
  hypotheses: [
    {
      id: 'per-try-timeouts',
      statement: 'per-try timeouts cut the slow payment calls',
      check: (o) =>
        allOf(
          { ...atLeast(o.timeouts, 1), observed: `${o.timeouts ?? 'no'} timeouts` },
          {
            pass: o.perTryTimeoutMs < o.fault.latencyMs,
            observed: `per-try timeout ${o.perTryTimeoutMs} ms`,
            expected: `< injected ${o.fault.latencyMs} ms`,
          },
        ),
    },
    {
      id: 'concurrency-capped',
      statement: 'calls waiting on payment are capped by the worker concurrency (reached, never exceeded)',
      check: (o) => ({
        pass: o.maxInFlight !== undefined && o.maxInFlight === o.concurrencyCap,
        observed: `max ${o.maxInFlight ?? 'no'} in flight`,
        expected: `= cap ${o.concurrencyCap}`,
      }),
    },
    {
      id: 'read-p99-slo',
      statement: 'GET /orders/:id p99 stays within its SLO during the latency',
      check: (o) => ({
        ...atMost(o.reads.count > 0 ? o.reads.p99Ms : undefined, o.readSloMs, millis),
        observed: `p99 ${o.reads.p99Ms === undefined ? 'n/a' : millis(o.reads.p99Ms)} over ${o.reads.count} reads`,
      }),
    },
    paidExactlyOnce('after the latency every accepted order is paid, with exactly one captured payment'),
    zeroLost(),
  ],
});
