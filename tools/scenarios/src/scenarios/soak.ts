import { setTimeout as sleep } from 'node:timers/promises';
import { atMost, type Finding } from '../framework/hypothesis.ts';
import { pick, type RunMode } from '../framework/run-mode.ts';
import { defineScenario, type ScenarioContext } from '../framework/scenario.ts';
import { increase, maxInWindow, type MetricPoint } from '../observe/metric-sampler.ts';
import type { MetricWatch } from '../observe/metric-sampler.ts';
import { redisFootprint, redisUsedMemory } from '../observe/redis-footprint.ts';
import {
  formatBytes,
  formatCosts,
  formatPrediction,
  orderCosts,
  predictPlateau,
  type OrderCosts,
  type PlateauPrediction,
} from './soak-model.ts';

/** Retention of the run, ms: shortened so the plateau comes within the run. */
function retention(mode: RunMode) {
  return {
    recordsMs: pick(mode, { short: 10_000, full: 600_000 }),
    completedJobMs: pick(mode, { short: 5_000, full: 60_000 }),
    completedJobCount: 1_000,
  };
}

/** The documented compose defaults (docker-compose.yml) and soak profile (tools/load README). */
const compose = {
  recordsMs: 1_800_000,
  completedJobMs: 3_600_000,
  completedJobCount: 1_000,
  /** `--profile soak --rate 20` with the default mix: 4 of 10 requests create an order. */
  ordersPerSecond: 8,
};
/**
 * The heap limits of the containers (75 % of each service's memory limit in docker-compose.yml):
 * with a bounded heap V8 collects instead of growing into memory it is never asked to give back,
 * so a flat RSS means no leak.
 */
const heapLimit = {
  user: '--max-old-space-size=144',
  order: '--max-old-space-size=192',
  payment: '--max-old-space-size=144',
} as const;

/** BullMQ's default cap of a queue's event stream. */
const eventsMaxLen = 10_000;
/** Orders created to measure what one order costs, before the load. */
const calibrationOrders = 300;

/** What soak observes. Bytes and ms. */
export interface SoakObservations {
  readonly orders: {
    readonly accepted: number;
    readonly paid: number;
    readonly declined: number;
    readonly failed: number;
    readonly captured: number;
    /** Jobs still waiting, active or delayed after settling. */
    readonly unsettled: number;
    readonly perSecond: number;
    /** Mean time from acceptance to settlement (queue wait + processing), ms. */
    readonly settleMs: number;
  };
  readonly redis: {
    readonly predicted: PlateauPrediction | undefined;
    /** Largest `used_memory` in the last third of the load, and in the third before it. */
    readonly lastThirdMax: number | undefined;
    readonly middleThirdMax: number | undefined;
  };
  /** Largest RSS per service in the last third of the load and in the third before it. */
  readonly rss: Readonly<
    Record<string, { readonly lastThirdMax?: number; readonly middleThirdMax?: number }>
  >;
  /** The plateau the compose defaults reach at the documented soak profile, bytes. */
  readonly composePlateau: number | undefined;
}

const services = ['user', 'order', 'payment'] as const;

const watches: readonly MetricWatch[] = [
  // The soak runs on one redis-server: one `redis_node` series (on a cluster it is one per master,
  // and the plateau would be their sum).
  { key: 'redisUsed', service: 'order', metric: 'redis_memory_used_bytes', reduce: 'max' },
  ...services.map((service): MetricWatch => ({
    key: `rss-${service}`,
    service,
    metric: 'process_resident_memory_bytes',
  })),
  ...(['pending', 'paid', 'payment_declined', 'payment_failed'] as const).map((status): MetricWatch => ({
    key: `orders-${status}`,
    service: 'order',
    metric: 'orders_total',
    labels: { status },
  })),
  { key: 'captured', service: 'payment', metric: 'payments_total', labels: { outcome: 'captured' } },
  {
    key: 'unsettled',
    service: 'order',
    metric: 'queue_jobs',
    labels: { queue: 'payments', state: /^(waiting|active|delayed)$/ },
    reduce: 'max',
  },
  ...(['wait', 'duration'] as const).flatMap((part): MetricWatch[] => [
    {
      key: `${part}Sum`,
      service: 'order',
      metric: `queue_job_${part}_seconds_sum`,
      labels: { queue: 'payments' },
    },
    {
      key: `${part}Count`,
      service: 'order',
      metric: `queue_job_${part}_seconds_count`,
      labels: { queue: 'payments' },
    },
  ]),
];

/** The last value of a series, or undefined. */
const last = (points: readonly MetricPoint[]): number | undefined => points.at(-1)?.value;

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}`);
  return response.json();
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function eachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Creates `count` orders of `userId` and waits (up to 30 s) until none is `pending`. */
async function createPaidOrders(orderUrl: string, userId: string, count: number): Promise<void> {
  const ids: string[] = [];
  await eachLimited([...Array(count).keys()], 10, async (i) => {
    const order = (await postJson(
      `${orderUrl}/orders`,
      { userId, items: [{ sku: `SKU-${i % 50}`, quantity: 1 + (i % 3), unitPriceCents: 1250 }] },
      { 'idempotency-key': `soak-calibration-${crypto.randomUUID()}` },
    )) as { id: string };
    ids.push(order.id);
  });
  const deadline = Date.now() + 30_000;
  let open = [...ids];
  while (open.length > 0 && Date.now() < deadline) {
    const still: string[] = [];
    await eachLimited(open, 20, async (id) => {
      const response = await fetch(`${orderUrl}/orders/${id}`);
      const order = (await response.json()) as { status?: string };
      if (order.status === 'pending') still.push(id);
    });
    open = still;
    if (open.length > 0) await sleep(200);
  }
}

/**
 * Measures what one order costs in Redis: after a few warm-up orders (which load the Lua
 * scripts and create the streams, groups and queue keys once), `calibrationOrders` orders
 * created and paid on the idle system, the footprint by key pattern and `used_memory` before
 * and after.
 */
async function calibrate(context: ScenarioContext): Promise<{ costs: OrderCosts; baseline: number }> {
  const redisUrl = context.environment.redisUrl!;
  const [orderUrl] = context.environment.urls('order');
  const [userUrl] = context.environment.urls('user');
  const user = (await postJson(`${userUrl}/users`, {
    email: `soak-${crypto.randomUUID()}@soak.shipshape.test`,
    name: 'Soak',
  })) as { id: string };
  await createPaidOrders(orderUrl!, user.id, 20);
  const usedBefore = await redisUsedMemory(redisUrl);
  const before = await redisFootprint(redisUrl);
  await createPaidOrders(orderUrl!, user.id, calibrationOrders);
  const costs = orderCosts({
    orders: calibrationOrders,
    usedBefore,
    usedAfter: await redisUsedMemory(redisUrl),
    before,
    after: await redisFootprint(redisUrl),
  });
  context.log(`soak: what one order leaves in Redis (measured over ${calibrationOrders} paid orders):`);
  for (const line of formatCosts(costs)) context.log(line);
  return { costs, baseline: usedBefore };
}

/** `measured ≤ limit` with both figures in bytes. */
function bytesAtMost(measured: number | undefined, limit: number | undefined): Finding {
  if (limit === undefined) return { pass: false, observed: 'no prediction', expected: '-' };
  return atMost(measured, limit, formatBytes);
}

/**
 * A long run at a steady order rate with payment faults: Redis memory must level off at the
 * plateau that retention × rate × bytes per order predicts, the services' RSS must stay flat
 * after warm-up, and every accepted order must be paid exactly once. The short form shortens
 * retention to 10 s so the plateau comes within a minute; the full form runs the documented
 * soak profile (1 h) with 10 min retention and a payment SIGKILL half-way.
 */
export const soak = defineScenario<SoakObservations>({
  name: 'soak',
  title:
    'a long steady run with payment faults → Redis memory levels off at the predicted plateau, nothing lost',
  requiresLocal: true,
  setup: (mode) => {
    const r = retention(mode);
    return {
      serviceEnv: {
        order: {
          NODE_OPTIONS: heapLimit.order,
          RETENTION__ORDER_MS: String(r.recordsMs),
          RETENTION__IDEMPOTENCY_KEY_MS: String(r.recordsMs),
          RETENTION__COMPLETED_JOB_MS: String(r.completedJobMs),
          RETENTION__COMPLETED_JOB_COUNT: String(r.completedJobCount),
          WORKER__BACKOFF_MS: pick(mode, { short: '200', full: '1000' }),
          WORKER__BACKOFF_MAX_MS: pick(mode, { short: '2000', full: '60000' }),
        },
        user: { NODE_OPTIONS: heapLimit.user },
        payment: {
          NODE_OPTIONS: heapLimit.payment,
          RETENTION__PAYMENT_MS: String(r.recordsMs),
          RETENTION__IDEMPOTENCY_KEY_MS: String(r.recordsMs),
          PROCESSOR__LEDGER_RETENTION_MS: String(r.recordsMs),
        },
      },
    };
  },
  load: (mode) => ({
    profile: pick<{ profile: 'steady' | 'soak'; rate: number; durationMs: number }>(mode, {
      short: { profile: 'steady', rate: 60, durationMs: 60_000 },
      full: { profile: 'soak', rate: 50, durationMs: 3_600_000 },
    }),
    // No create-user: users are kept (they are not per order), so the plateau is the orders'.
    mix: { 'create-order': 3, 'read-order': 1 },
  }),
  watch: (mode) => ({ metrics: watches, intervalMs: pick(mode, { short: 1_000, full: 10_000 }) }),
  async prepare(context) {
    const { costs, baseline } = await calibrate(context);
    context.notes.set('costs', costs);
    context.notes.set('baseline', baseline);
  },
  timeline: (mode) => {
    const durationMs = pick(mode, { short: 60_000, full: 3_600_000 });
    const steps = [
      {
        atMs: pick(mode, { short: 5_000, full: 60_000 }),
        name: 'payment processor fails 5 % of charges',
        run: async ({ environment }: ScenarioContext) => {
          await environment.setConfig('payment', { 'chaos.errorRate': 0.05 });
        },
      },
      {
        atMs: durationMs - pick(mode, { short: 8_000, full: 120_000 }),
        name: 'payment processor healthy again',
        run: async ({ environment }: ScenarioContext) => {
          await environment.clearConfig('payment', ['chaos.errorRate']);
        },
      },
    ];
    if (mode.short) return steps;
    return [
      ...steps,
      {
        atMs: durationMs / 2,
        name: 'SIGKILL payment-0',
        run: async ({ environment }: ScenarioContext) => {
          await environment.local!.stack.process('payment').kill('SIGKILL');
        },
      },
      {
        atMs: durationMs / 2 + 30_000,
        name: 'start payment-0 again',
        run: async ({ environment }: ScenarioContext) => {
          await environment.local!.stack.process('payment').start();
        },
      },
    ];
  },
  async observe(context) {
    const { metrics, mode } = context;
    const loadMs = context.load.elapsedMs;
    // Settle: every job finished and every accepted order has an outcome.
    const deadline = Date.now() + pick(mode, { short: 45_000, full: 300_000 });
    for (;;) {
      await metrics.sample();
      const accepted = last(metrics.series('orders-pending')) ?? 0;
      const settled = ['paid', 'payment_declined', 'payment_failed'].reduce(
        (sum, s) => sum + (last(metrics.series(`orders-${s}`)) ?? 0),
        0,
      );
      if ((last(metrics.series('unsettled')) ?? 1) === 0 && settled >= accepted) break;
      if (Date.now() > deadline || context.stopped.aborted) break;
      await sleep(500);
    }
    const end = Number.POSITIVE_INFINITY;
    const grew = (key: string): number => increase(metrics.series(key), 0, end) ?? 0;
    const accepted = grew('orders-pending');
    const meanMs = (part: string): number => {
      const count = grew(`${part}Count`);
      return count > 0 ? (grew(`${part}Sum`) / count) * 1000 : 0;
    };
    const settleMs = meanMs('wait') + meanMs('duration');
    const perSecond = accepted / (loadMs / 1000);
    const costs = context.notes.get('costs') as OrderCosts | undefined;
    const baseline = context.notes.get('baseline') as number | undefined;
    const r = retention(mode);
    const predicted =
      costs && baseline !== undefined
        ? predictPlateau(costs, {
            ordersPerSecond: perSecond,
            orderLifetimeMs: r.recordsMs + settleMs,
            completedJobMs: r.completedJobMs,
            completedJobCount: r.completedJobCount,
            eventsMaxLen,
            baselineBytes: baseline,
          })
        : undefined;
    const composePrediction =
      costs && baseline !== undefined
        ? predictPlateau(costs, {
            ordersPerSecond: compose.ordersPerSecond,
            orderLifetimeMs: compose.recordsMs + settleMs,
            completedJobMs: compose.completedJobMs,
            completedJobCount: compose.completedJobCount,
            eventsMaxLen,
            baselineBytes: baseline,
          })
        : undefined;
    const thirds = (key: string) => ({
      lastThirdMax: maxInWindow(metrics.series(key), (2 * loadMs) / 3, loadMs),
      middleThirdMax: maxInWindow(metrics.series(key), loadMs / 3, (2 * loadMs) / 3),
    });
    const redis = thirds('redisUsed');
    if (predicted) context.log(`soak: predicted plateau ${formatPrediction(predicted)}`);
    context.log(
      `soak: measured plateau ${formatBytes(redis.lastThirdMax ?? Number.NaN)} (largest used_memory in the last third of the load; ${formatBytes(redis.middleThirdMax ?? Number.NaN)} in the third before)`,
    );
    if (composePrediction)
      context.log(
        `soak: compose defaults (30 min retention, ${compose.ordersPerSecond} orders/s: the documented soak profile): ${formatPrediction(composePrediction)}`,
      );
    return {
      orders: {
        accepted,
        paid: grew('orders-paid'),
        declined: grew('orders-payment_declined'),
        failed: grew('orders-payment_failed'),
        captured: grew('captured'),
        unsettled: last(metrics.series('unsettled')) ?? -1,
        perSecond: Math.round(perSecond * 10) / 10,
        settleMs: Math.round(settleMs),
      },
      redis: { predicted, ...redis },
      rss: Object.fromEntries(services.map((service) => [service, thirds(`rss-${service}`)])),
      composePlateau: composePrediction?.totalBytes,
    };
  },
  hypotheses: [
    {
      id: 'redis-within-prediction',
      statement:
        'Redis memory stays within the plateau retention × rate × bytes per order predicts (+25 % for allocator slack)',
      check: ({ redis }) => {
        const predicted = redis.predicted?.totalBytes;
        const finding = bytesAtMost(
          redis.lastThirdMax,
          predicted === undefined ? undefined : predicted * 1.25,
        );
        return {
          ...finding,
          observed: `measured ${finding.observed}, predicted ${predicted === undefined ? '-' : formatBytes(predicted)}`,
        };
      },
    },
    {
      id: 'redis-plateau',
      statement:
        'Redis memory levels off: the last third of the run peaks within 10 % (+1 MiB) of the third before',
      check: ({ redis }) =>
        bytesAtMost(
          redis.lastThirdMax,
          redis.middleThirdMax === undefined ? undefined : redis.middleThirdMax * 1.1 + 1024 * 1024,
        ),
    },
    {
      id: 'rss-flat',
      statement:
        "every service's RSS stays flat after warm-up: the last third peaks within 20 % of the third before",
      check: ({ rss }) => {
        const findings = services.map((service) => {
          const { lastThirdMax, middleThirdMax } = rss[service] ?? {};
          return {
            service,
            ...bytesAtMost(lastThirdMax, middleThirdMax === undefined ? undefined : middleThirdMax * 1.2),
          };
        });
        return {
          pass: findings.every((f) => f.pass),
          observed: findings.map((f) => `${f.service} ${f.observed}`).join(', '),
          expected: findings.map((f) => `${f.service} ${f.expected}`).join(', '),
        };
      },
    },
    {
      id: 'zero-lost',
      statement: 'no accepted order is lost or stuck: each one reached paid, declined or failed-in-DLQ',
      check: ({ orders }) => {
        const settled = orders.paid + orders.declined + orders.failed;
        return {
          pass: orders.accepted > 0 && settled === orders.accepted && orders.unsettled === 0,
          observed: `${settled}/${orders.accepted} settled (${orders.paid} paid, ${orders.declined} declined, ${orders.failed} failed), ${orders.unsettled} jobs open; ${orders.perSecond} orders/s, settled in ${orders.settleMs} ms on average`,
          expected: 'all settled, 0 open',
        };
      },
    },
    {
      id: 'charged-once',
      statement: 'no order is charged twice: captured payments = paid orders',
      check: ({ orders }) => ({
        pass: orders.paid > 0 && orders.captured === orders.paid,
        observed: `${orders.captured} captured for ${orders.paid} paid orders`,
        expected: 'equal',
      }),
    },
  ],
});
