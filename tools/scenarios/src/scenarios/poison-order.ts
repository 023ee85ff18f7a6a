import { pick } from '../framework/run-mode.ts';
import type { ScenarioContext } from '../framework/scenario.ts';
import { defineScenario } from '../framework/scenario.ts';
import { ScenarioUnsupportedError } from '../framework/scenario-unsupported-error.ts';
import { capturedPayments, forEachLimited, orderStatus, type OrderAudit } from '../observe/order-audit.ts';
import { listDeadLetters, replayDeadLetters } from './dead-letter-tool.ts';
import { paidExactlyOnce, zeroLost } from './order-hypotheses.ts';
import { auditCreatedOrders } from './order-signals.ts';

/** What poison-order observes. */
export interface PoisonOrderObservations {
  /** `worker.attempts` in force: the N of "dead-letter after N attempts". */
  readonly attempts: number;
  /** The dead letters before the replay. */
  readonly deadLetters: {
    readonly count: number;
    /** Attempts each dead letter made → how many. */
    readonly attempts: Readonly<Record<string, number>>;
    readonly reasons: Readonly<Record<string, number>>;
  };
  /** The dead-lettered orders before the replay: their statuses and captured payments. */
  readonly parked: { readonly statuses: Readonly<Record<string, number>>; readonly captured: number };
  /** Dead letters left after the replay and the load. */
  readonly remainingAfterReplay: number | undefined;
  readonly audit: OrderAudit;
}

/** Attempts per charge in this scenario, with a short backoff so the poisoned ones give up within seconds. */
const attempts = 3;
const workerSettings = { 'worker.attempts': attempts, 'worker.backoffMs': 200, 'worker.backoffMaxMs': 1_000 };

function redisUrlOf(context: ScenarioContext): string {
  const url = context.environment.redisUrl;
  if (url === undefined)
    throw new ScenarioUnsupportedError("poison-order needs the system's Redis: pass --redis-url");
  return url;
}

/**
 * Every charge fails for a while (`chaos.errorRate=1` on payment: a payment that always fails).
 * Each poisoned job must give up after exactly N attempts into the dead-letter queue, its order
 * `payment_failed` and uncharged; after the fault, `npm run dlq -- replay` must re-drive them
 * so that every order ends paid exactly once and the queue is empty.
 */
export const poisonOrder = defineScenario<PoisonOrderObservations>({
  name: 'poison-order',
  title: `payments that always fail → dead letter after ${attempts} attempts, order payment_failed, replay pays them`,
  requiresLocal: false,
  setup: () => ({
    serviceEnv: {
      order: {
        WORKER__ATTEMPTS: String(attempts),
        WORKER__BACKOFF_MS: '200',
        WORKER__BACKOFF_MAX_MS: '1000',
      },
    },
  }),
  async prepare(context) {
    redisUrlOf(context);
    if (context.environment.mode === 'target') await context.environment.setConfig('order', workerSettings);
  },
  async cleanup(context) {
    if (context.environment.mode === 'target' && context.environment.redisUrl !== undefined) {
      await context.environment.clearConfig('payment', ['chaos.errorRate']);
      await context.environment.clearConfig('order', Object.keys(workerSettings));
    }
  },
  load: (mode) => ({
    profile: {
      profile: 'steady',
      rate: pick(mode, { short: 10, full: 20 }),
      durationMs: pick(mode, { short: 24_000, full: 50_000 }),
    },
    mix: { 'create-user': 1, 'create-order': 4, 'read-order': 5 },
  }),
  timeline: (mode) => {
    const at = pick(mode, { short: 3_000, full: 10_000 });
    const poisonMs = pick(mode, { short: 10_000, full: 20_000 });
    return [
      {
        atMs: at,
        name: 'payment chaos.errorRate=1 (every charge fails)',
        run: ({ environment }) => environment.setConfig('payment', { 'chaos.errorRate': 1 }),
      },
      {
        atMs: at + poisonMs,
        kind: 'action',
        name: 'payment errorRate back to normal',
        run: ({ environment }) => environment.clearConfig('payment', ['chaos.errorRate']),
      },
      {
        // The last poisoned jobs are still between attempts when the fault ends; give them time to give up.
        atMs: at + poisonMs + 4_000,
        kind: 'action',
        name: 'inspect the dead letters and their orders',
        run: async (context) => {
          const letters = await listDeadLetters(redisUrlOf(context));
          const statuses: Record<string, number> = {};
          let captured = 0;
          const orderUrls = context.environment.urls('order');
          const paymentUrls = context.environment.urls('payment');
          await forEachLimited(letters, 8, async (letter) => {
            const status = await orderStatus(orderUrls[0]!, letter.orderId);
            statuses[status] = (statuses[status] ?? 0) + 1;
            captured += Math.max(0, await capturedPayments(paymentUrls[0]!, letter.orderId));
          });
          context.notes.set('letters', letters);
          context.notes.set('parked', { statuses, captured });
        },
      },
      {
        atMs: 0,
        kind: 'action',
        name: 'npm run dlq -- replay',
        run: (context) => replayDeadLetters(redisUrlOf(context)),
      },
    ];
  },
  async observe(context) {
    const letters = (context.notes.get('letters') ?? []) as { attempts: number; reason: string }[];
    const count = (values: readonly (string | number)[]): Record<string, number> => {
      const counts: Record<string, number> = {};
      for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
      return counts;
    };
    const audit = await auditCreatedOrders(context, pick(context.mode, { short: 30_000, full: 60_000 }));
    let remaining: number | undefined;
    try {
      remaining = (await listDeadLetters(redisUrlOf(context))).length;
    } catch {
      remaining = undefined;
    }
    return {
      attempts,
      deadLetters: {
        count: letters.length,
        attempts: count(letters.map((l) => l.attempts)),
        reasons: count(letters.map((l) => l.reason)),
      },
      parked: (context.notes.get('parked') ?? {
        statuses: {},
        captured: 0,
      }) as PoisonOrderObservations['parked'],
      remainingAfterReplay: remaining,
      audit,
    };
  },
  hypotheses: [
    {
      id: 'dead-letter-after-n-attempts',
      statement: `a charge that always fails is dead-lettered after exactly ${attempts} attempts`,
      check: (o) => ({
        pass:
          o.deadLetters.count > 0 &&
          Object.keys(o.deadLetters.attempts).every((a) => Number(a) === o.attempts),
        observed: `${o.deadLetters.count} dead letters, attempts ${JSON.stringify(o.deadLetters.attempts)}, reasons ${JSON.stringify(o.deadLetters.reasons)}`,
        expected: `> 0, every one after ${o.attempts} attempts`,
      }),
    },
    {
      id: 'parked-orders-failed-uncharged',
      statement: 'dead-lettered orders are payment_failed and charged nothing',
      check: (o) => {
        const failed = o.parked.statuses['payment_failed'] ?? 0;
        return {
          pass: o.deadLetters.count > 0 && failed === o.deadLetters.count && o.parked.captured === 0,
          observed: `${failed}/${o.deadLetters.count} payment_failed ${JSON.stringify(o.parked.statuses)}, ${o.parked.captured} captured`,
          expected: 'all payment_failed, 0 captured',
        };
      },
    },
    {
      id: 'replay-empties-dlq',
      statement: 'npm run dlq -- replay re-drives every dead letter',
      check: (o) => ({
        pass: o.deadLetters.count > 0 && o.remainingAfterReplay === 0,
        observed: `${o.deadLetters.count} replayed, ${o.remainingAfterReplay ?? '?'} left`,
        expected: '> 0 replayed, 0 left',
      }),
    },
    paidExactlyOnce('after the replay every order is paid, with exactly one captured payment'),
    zeroLost(),
  ],
});
