import { atMost, seconds } from '../framework/hypothesis.ts';
import { pick } from '../framework/run-mode.ts';
import { defineScenario } from '../framework/scenario.ts';
import { findEvent } from '../framework/timeline.ts';
import { services } from '../environment/environment.ts';
import type { MetricWatch } from '../observe/metric-sampler.ts';
import { increase, maxInWindow } from '../observe/metric-sampler.ts';
import type { OrderAudit } from '../observe/order-audit.ts';
import { countFailuresByCode, isFailure } from '../observe/request-log.ts';
import { paidExactlyOnce, zeroLost } from './order-hypotheses.ts';
import { auditCreatedOrders, inboundLimiter } from './order-signals.ts';

/** What redis-failover observes. Times are ms after the load started. */
export interface RedisFailoverObservations {
  /** The SIGKILL of the master and the replica's promotion (`cluster_state:ok` everywhere). */
  readonly failover: { readonly killedMs: number; readonly healedMs: number; readonly injected: boolean };
  /** The inbound limiter of the order service (its keys lived on the killed master). */
  readonly limiter: {
    readonly degradedMax: number | undefined;
    readonly degradedAtEnd: number | undefined;
    readonly decisionsDuringFailover: number | undefined;
  };
  /** Failed requests: how many, by code, the span from the first one sent to the last one answered. */
  readonly failures: {
    readonly count: number;
    readonly byCode: Readonly<Record<string, number>>;
    readonly firstSentMs: number | undefined;
    readonly lastSentMs: number | undefined;
    /** Failures that were neither 503 nor 504 `deadline_exceeded` (500s, resets, refused). */
    readonly notProblem: number;
  };
  readonly audit: OrderAudit;
}

/** How long after the promotion failures may still be seen: the clients' breaker open time and retries, ms. */
const retryBudgetMs = 6_000;
/** The cluster's `cluster-node-timeout` in this scenario, ms (a failover takes ~2–3× this). */
const nodeTimeoutMs = 1_000;

const limiterWatch: MetricWatch[] = [
  {
    key: 'degraded',
    service: 'order',
    metric: 'resilience_rate_limit_degraded',
    labels: { name: inboundLimiter('order') },
    reduce: 'max',
  },
  {
    key: 'decisions',
    service: 'order',
    metric: 'resilience_rate_limit_decisions_total',
    labels: { name: inboundLimiter('order') },
  },
];

/**
 * The platform on a Redis Cluster (3 masters, 3 replicas); under load, the master holding the
 * inbound rate limiters' keys is SIGKILLed and its replica takes over. No accepted order may be
 * lost or charged twice, the failures must stay within the failover plus the clients' retry
 * budget and be 503s, and the limiter must answer from its fail mode while its master is gone,
 * then return to Redis.
 */
export const redisFailover = defineScenario<RedisFailoverObservations>({
  name: 'redis-failover',
  title: 'a Redis Cluster master SIGKILLed under load → replica promoted, no order lost or charged twice',
  requiresLocal: true,
  setup: () => ({
    redisCluster: { nodeTimeoutMs },
    // A short breaker open time, so the user-service breaker that opens on the failover's 503s
    // probes again soon after the promotion.
    serviceEnv: { order: { USER_CLIENT__BREAKER_OPEN_DURATION_MS: '1000', WORKER__ATTEMPTS: '100' } },
  }),
  load: (mode) => ({
    profile: {
      profile: 'steady',
      rate: pick(mode, { short: 15, full: 25 }),
      durationMs: pick(mode, { short: 16_000, full: 45_000 }),
    },
    mix: { 'create-user': 1, 'create-order': 4, 'read-order': 4, 'list-payments': 1 },
    timeoutMs: 5_000,
  }),
  watch: () => ({ metrics: limiterWatch, readiness: services }),
  timeline: (mode) => [
    {
      atMs: pick(mode, { short: 4_000, full: 15_000 }),
      name: 'SIGKILL the Redis master holding the rate-limit keys',
      run: async ({ environment, notes }) => {
        const cluster = environment.local!.cluster!;
        const masters = (await cluster.topology()).filter((node) => node.role === 'master' && !node.failed);
        let port = masters[0]!.port;
        for (const master of masters) {
          const found = await cluster.command(master.port, '--scan', '--pattern', 'rl:order-inbound:*');
          if (found !== '') {
            port = master.port;
            break;
          }
        }
        const { failoverMs } = await cluster.killMaster({ port });
        notes.set('failoverMs', failoverMs);
      },
    },
  ],
  async observe(context) {
    const kill = findEvent(context.events, 'SIGKILL the Redis master')!;
    const killedMs = kill.startedMs;
    const healedMs = kill.endedMs;
    const degraded = context.metrics.series('degraded');
    const failed = context.requests.requests.filter(isFailure);
    const sent = failed.map((request) => request.sentMs);
    const audit = await auditCreatedOrders(context, pick(context.mode, { short: 30_000, full: 60_000 }));
    return {
      failover: { killedMs: Math.round(killedMs), healedMs: Math.round(healedMs), injected: !kill.skipped },
      limiter: {
        degradedMax: maxInWindow(degraded, killedMs, healedMs + 2_000),
        degradedAtEnd: degraded.at(-1)?.value,
        decisionsDuringFailover: increase(context.metrics.series('decisions'), killedMs, healedMs),
      },
      failures: {
        count: failed.length,
        byCode: countFailuresByCode(failed),
        firstSentMs: sent.length === 0 ? undefined : Math.round(Math.min(...sent)),
        lastSentMs: sent.length === 0 ? undefined : Math.round(Math.max(...sent)),
        notProblem: failed.filter(
          (r) => !(r.status === '503' || (r.status === '504' && r.errorCode === 'deadline_exceeded')),
        ).length,
      },
      audit,
    };
  },
  hypotheses: [
    {
      id: 'failover-happened',
      statement: `a replica took over within ${seconds(10 * nodeTimeoutMs)} of the SIGKILL`,
      check: (o) => ({
        ...atMost(
          o.failover.injected ? o.failover.healedMs - o.failover.killedMs : undefined,
          10 * nodeTimeoutMs,
          seconds,
        ),
      }),
    },
    {
      id: 'bounded-error-window',
      statement: `failures only between the SIGKILL and ${seconds(retryBudgetMs)} after the promotion, all 503 (or 504 past the deadline)`,
      check: (o) => {
        const { count, firstSentMs, lastSentMs, notProblem, byCode } = o.failures;
        const inside =
          count === 0 ||
          (firstSentMs! >= o.failover.killedMs - 1_000 && lastSentMs! <= o.failover.healedMs + retryBudgetMs);
        const window = count === 0 ? 0 : lastSentMs! - firstSentMs!;
        return {
          pass: inside && notProblem === 0,
          observed:
            `${count} failures ${JSON.stringify(byCode)} over ${seconds(window)}` +
            (count === 0 ? '' : `, from ${seconds(firstSentMs! - o.failover.killedMs)} after the SIGKILL`) +
            ` (failover ${seconds(o.failover.healedMs - o.failover.killedMs)}); ${notProblem} not 503/504`,
          expected: `within SIGKILL … promotion + ${seconds(retryBudgetMs)}, none other than 503/504`,
        };
      },
    },
    {
      id: 'limiter-fail-mode',
      statement:
        'the order inbound limiter answers from its fail mode while its master is gone, then returns to Redis',
      check: (o) => {
        const { degradedMax, degradedAtEnd, decisionsDuringFailover } = o.limiter;
        return {
          pass: degradedMax === 1 && degradedAtEnd === 0 && (decisionsDuringFailover ?? 0) > 0,
          observed: `degraded ${degradedMax ?? '?'}→${degradedAtEnd ?? '?'}, ${decisionsDuringFailover ?? '?'} decisions during the failover`,
          expected: 'degraded 1→0 with decisions during the failover',
        };
      },
    },
    paidExactlyOnce('every accepted order is paid, with exactly one captured payment (no double charge)'),
    zeroLost(),
  ],
});
