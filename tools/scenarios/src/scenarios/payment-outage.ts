import { allOf, atLeast, atMost, percent, seconds } from '../framework/hypothesis.ts';
import { pick } from '../framework/run-mode.ts';
import { defineScenario } from '../framework/scenario.ts';
import { findEvent } from '../framework/timeline.ts';
import { firstPoint, increase, maxInWindow } from '../observe/metric-sampler.ts';
import type { OrderAudit } from '../observe/order-audit.ts';
import { paidExactlyOnce, zeroLost } from './order-hypotheses.ts';
import { auditCreatedOrders, paymentPathWatches } from './order-signals.ts';

/** What payment-outage observes. Times are ms after the load started. */
export interface PaymentOutageObservations {
  readonly outage: { readonly startMs: number; readonly endMs: number; readonly injected: boolean };
  /** First sample after the kill showing a payment breaker transition to open, ms after the kill. */
  readonly breakerOpenedAfterMs: number | undefined;
  /** POST /orders sent while payment was down. */
  readonly ordersDuringOutage: { readonly sent: number; readonly accepted: number };
  /** The payment client's retries during the outage and the budget they had. */
  readonly retries: {
    readonly retries: number | undefined;
    /** Job runs (one client call each) during the outage. */
    readonly calls: number | undefined;
    /** The client's retry budget over the outage: 20 % of calls + 10 per second. */
    readonly budget: number | undefined;
  };
  /** Most dead letters seen at any time (an outage shorter than the retry horizon must give none). */
  readonly deadLettersMax: number | undefined;
  readonly audit: OrderAudit;
}

/** The payment client's default retry budget: ratio and minimum retries per second (resilience README). */
const budgetRatio = 0.2;
const budgetMinPerSecond = 10;

/**
 * Payment crashes (SIGKILL) under load and stays down, then comes back. The order service must
 * keep accepting orders (payment is asynchronous), open its payment breaker within seconds instead
 * of hammering a dead port, keep retries within the client's budget and the queue's attempts, and
 * after recovery charge every accepted order exactly once.
 */
export const paymentOutage = defineScenario<PaymentOutageObservations>({
  name: 'payment-outage',
  title: 'payment down (SIGKILL) under load → breaker opens, orders still accepted, every order paid once',
  requiresLocal: true,
  setup: (mode) => ({
    // Short form: shorter backoff, so the orders retried during a 10 s outage settle within seconds.
    ...(mode.short
      ? { serviceEnv: { order: { WORKER__BACKOFF_MS: '500', WORKER__BACKOFF_MAX_MS: '2000' } } }
      : {}),
  }),
  load: (mode) => ({
    profile: {
      profile: 'steady',
      rate: pick(mode, { short: 20, full: 30 }),
      durationMs: pick(mode, { short: 24_000, full: 75_000 }),
    },
    mix: { 'create-user': 1, 'create-order': 4, 'read-order': 5 },
  }),
  watch: () => ({ metrics: paymentPathWatches }),
  timeline: (mode) => {
    const at = pick(mode, { short: 5_000, full: 15_000 });
    const downMs = pick(mode, { short: 10_000, full: 30_000 });
    return [
      {
        atMs: at,
        name: 'SIGKILL payment-0 (payment down)',
        run: async ({ environment }) => {
          await environment.local!.stack.process('payment').kill('SIGKILL');
        },
      },
      {
        atMs: at + downMs,
        name: 'start payment-0 again',
        run: async ({ environment }) => {
          await environment.local!.stack.process('payment').start();
        },
      },
    ];
  },
  async observe(context) {
    const kill = findEvent(context.events, 'SIGKILL payment')!;
    const back = findEvent(context.events, 'start payment')!;
    const startMs = kill.startedMs;
    const endMs = back.endedMs;
    const opened = firstPoint(context.metrics.series('breakerOpened'), (v) => v > 0, startMs);
    const orders = context.requests.select({ kind: 'create-order', fromMs: startMs, toMs: endMs });
    const retries = increase(context.metrics.series('retries'), startMs, endMs);
    const calls = increase(context.metrics.series('jobRuns'), startMs, endMs);
    const audit = await auditCreatedOrders(context, pick(context.mode, { short: 30_000, full: 120_000 }));
    return {
      outage: { startMs: Math.round(startMs), endMs: Math.round(endMs), injected: !kill.skipped },
      breakerOpenedAfterMs: opened === undefined ? undefined : Math.round(opened.tMs - startMs),
      ordersDuringOutage: { sent: orders.length, accepted: orders.filter((r) => r.status === '202').length },
      retries: {
        retries,
        calls,
        budget:
          calls === undefined
            ? undefined
            : Math.floor(budgetRatio * calls + (budgetMinPerSecond * (endMs - startMs)) / 1000),
      },
      deadLettersMax: maxInWindow(context.metrics.series('deadLetters'), 0, Number.POSITIVE_INFINITY),
      audit,
    };
  },
  hypotheses: [
    {
      id: 'breaker-opens',
      statement: 'the payment breaker opens within 5 s of the crash',
      check: (o) => atMost(o.breakerOpenedAfterMs, 5_000, seconds),
    },
    {
      id: 'orders-accepted',
      statement: 'POST /orders keeps answering 202 while payment is down',
      check: (o) => {
        const ratio =
          o.ordersDuringOutage.sent === 0
            ? undefined
            : o.ordersDuringOutage.accepted / o.ordersDuringOutage.sent;
        const finding = atLeast(ratio, 0.99, percent);
        return {
          ...finding,
          observed: `${o.ordersDuringOutage.accepted}/${o.ordersDuringOutage.sent} = ${finding.observed}`,
        };
      },
    },
    {
      id: 'retries-within-budget',
      statement:
        'payment retries stay within the client retry budget and the queue attempts (no dead letters)',
      check: (o) =>
        allOf(
          {
            ...atMost(o.retries.retries, o.retries.budget ?? -1),
            observed: `${o.retries.retries ?? 'no'} client retries (budget ${o.retries.budget ?? '?'} for ${o.retries.calls ?? '?'} calls)`,
          },
          { ...atMost(o.deadLettersMax, 0), observed: `${o.deadLettersMax ?? 'no'} dead letters` },
        ),
    },
    paidExactlyOnce('after recovery every accepted order is paid, with exactly one captured payment'),
    zeroLost(),
  ],
});
