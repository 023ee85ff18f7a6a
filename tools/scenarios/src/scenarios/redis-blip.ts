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

/** One service's inbound limiter through the blip. */
export interface LimiterObservation {
  /** Highest `resilience_rate_limit_degraded` seen during the outage (1: fail mode in force). */
  readonly degradedMax: number | undefined;
  /** The gauge at the end of the run (0: back on Redis). */
  readonly degradedAtEnd: number | undefined;
  /** Decisions the limiter made while Redis was down (answered by its fail mode). */
  readonly decisionsDuringOutage: number | undefined;
}

/** What redis-blip observes. Times are ms after the load started. */
export interface RedisBlipObservations {
  readonly outage: { readonly startMs: number; readonly endMs: number; readonly injected: boolean };
  readonly limiters: Readonly<Record<string, LimiterObservation>>;
  /** Per replica: ms from the stop to the first non-200 `/ready`, and from the restart to 200 again. */
  readonly readiness: Readonly<
    Record<string, { readonly droppedAfterMs?: number; readonly recoveredAfterMs?: number }>
  >;
  /** Per replica: whether the same process (PID) ran before and after, still running. */
  readonly sameProcess: Readonly<Record<string, boolean>>;
  /**
   * Recovery from the clients' view: the last failed request (sent time, ms after Redis answered
   * again; ≤ 0 when none failed after it came back) and how long the load ran on after it, ms.
   */
  readonly recovery: { readonly lastFailureAfterRestartMs: number; readonly okAfterLastFailureMs: number };
  /** Failed requests of the whole run by code. */
  readonly failuresByCode: Readonly<Record<string, number>>;
  /** Failed requests that were neither a 503 nor a 504 `deadline_exceeded` (500s, resets, refused connections). */
  readonly failuresNotProblem: number;
  readonly audit: OrderAudit;
}

/** How long after Redis answers again the clients may still see failures, ms. */
const recoveryLimitMs = 10_000;
/** How long the load must run on without a failure to call it recovered, ms. */
const sustainedMs = 3_000;

/** A failure the contract allows for a Redis outage: 503 (with Retry-After), or 504 once the caller's deadline passed. */
function isProblemAnswer(status: string, code: string | undefined): boolean {
  return status === '503' || (status === '504' && code === 'deadline_exceeded');
}

const limiterWatches: MetricWatch[] = services.flatMap((service): MetricWatch[] => [
  {
    key: `degraded:${service}`,
    service,
    metric: 'resilience_rate_limit_degraded',
    labels: { name: inboundLimiter(service) },
    reduce: 'max',
  },
  {
    key: `decisions:${service}`,
    service,
    metric: 'resilience_rate_limit_decisions_total',
    labels: { name: inboundLimiter(service) },
  },
]);

/**
 * Redis — store, queue, limiters and runtime config of every service — stops (SIGTERM, its
 * append-only file kept, as `docker compose restart redis` would) under load and comes back.
 * Every inbound rate limiter must switch to its fail mode and back, readiness must drop and
 * recover, the same processes must serve again without a restart, the outage must surface as
 * 503s, and no accepted order may be lost.
 */
export const redisBlip = defineScenario<RedisBlipObservations>({
  name: 'redis-blip',
  title:
    'Redis restarted under load → limiters degrade to their fail mode, readiness drops and recovers, no order lost',
  requiresLocal: true,
  setup: () => ({ redisArgs: ['--appendonly', 'yes', '--appendfsync', 'everysec'] }),
  load: (mode) => ({
    profile: {
      profile: 'steady',
      rate: pick(mode, { short: 15, full: 25 }),
      durationMs: pick(mode, { short: 22_000, full: 60_000 }),
    },
    // list-payments gives the payment service inbound traffic of its own during the outage.
    mix: { 'create-user': 1, 'create-order': 4, 'read-order': 4, 'list-payments': 1 },
    timeoutMs: 5_000,
  }),
  watch: () => ({ metrics: limiterWatches, readiness: services }),
  async cleanup(context) {
    // A run stopped while Redis was down: bring it back so the services can shut down gracefully.
    const redis = context.environment.local!.redis;
    if (redis.pid === undefined) await redis.start();
  },
  prepare(context) {
    const { stack } = context.environment.local!;
    context.notes.set('pids', Object.fromEntries(stack.processes.map((p) => [p.name, p.pid])));
    return Promise.resolve();
  },
  timeline: (mode) => {
    const at = pick(mode, { short: 5_000, full: 15_000 });
    const downMs = pick(mode, { short: 4_000, full: 10_000 });
    return [
      {
        atMs: at,
        name: 'stop Redis (SIGTERM)',
        run: async ({ environment }) => environment.local!.redis.stop(),
      },
      {
        atMs: at + downMs,
        name: 'start Redis again',
        run: async ({ environment }) => environment.local!.redis.start(),
      },
    ];
  },
  async observe(context) {
    const stop = findEvent(context.events, 'stop Redis')!;
    const start = findEvent(context.events, 'start Redis')!;
    const startMs = stop.startedMs;
    const endMs = start.endedMs;
    const limiters: Record<string, LimiterObservation> = {};
    for (const service of services) {
      const degraded = context.metrics.series(`degraded:${service}`);
      limiters[service] = {
        degradedMax: maxInWindow(degraded, startMs, endMs + 2_000),
        degradedAtEnd: degraded.at(-1)?.value,
        decisionsDuringOutage: increase(context.metrics.series(`decisions:${service}`), startMs, endMs),
      };
    }
    const summary = context.readiness.summary(startMs);
    const readiness: Record<string, { droppedAfterMs?: number; recoveredAfterMs?: number }> = {};
    const stack = context.environment.local!.stack;
    const pidsBefore = (context.notes.get('pids') ?? {}) as Record<string, number | undefined>;
    const sameProcess: Record<string, boolean> = {};
    for (const p of stack.processes) {
      const dropped = summary.firstNotReadyMs[p.name];
      const recovered = summary.readyAgainMs[p.name];
      readiness[p.name] = {
        ...(dropped === undefined ? {} : { droppedAfterMs: Math.round(dropped - startMs) }),
        ...(recovered === undefined ? {} : { recoveredAfterMs: Math.round(recovered - endMs) }),
      };
      sameProcess[p.name] = p.running && pidsBefore[p.name] !== undefined && pidsBefore[p.name] === p.pid;
    }
    const failed = context.requests.requests.filter(isFailure);
    const lastFailureMs = Math.max(startMs, ...failed.map((r) => r.sentMs));
    const loadEndMs = Math.max(0, ...context.requests.requests.map((r) => r.sentMs));
    const audit = await auditCreatedOrders(context, pick(context.mode, { short: 30_000, full: 90_000 }));
    return {
      outage: { startMs: Math.round(startMs), endMs: Math.round(endMs), injected: !stop.skipped },
      limiters,
      readiness,
      sameProcess,
      recovery: {
        lastFailureAfterRestartMs: Math.round(lastFailureMs - endMs),
        okAfterLastFailureMs: Math.round(loadEndMs - lastFailureMs),
      },
      failuresByCode: countFailuresByCode(failed),
      failuresNotProblem: failed.filter((r) => !isProblemAnswer(r.status, r.errorCode)).length,
      audit,
    };
  },
  hypotheses: [
    {
      id: 'limiters-fail-mode',
      statement:
        'every inbound rate limiter answers from its fail mode while Redis is down, then returns to Redis',
      check: (o) => {
        const entries = Object.entries(o.limiters);
        const ok = (l: LimiterObservation): boolean =>
          l.degradedMax === 1 && l.degradedAtEnd === 0 && (l.decisionsDuringOutage ?? 0) > 0;
        return {
          pass: entries.length === services.length && entries.every(([, l]) => ok(l)),
          observed: entries
            .map(
              ([s, l]) =>
                `${s}: degraded ${l.degradedMax ?? '?'}→${l.degradedAtEnd ?? '?'}, ${l.decisionsDuringOutage ?? '?'} decisions while down`,
            )
            .join('; '),
          expected: 'each degraded 1→0 with decisions while down',
        };
      },
    },
    {
      id: 'readiness-drops-and-recovers',
      statement: 'every replica turns not ready within 3 s of the stop and ready within 10 s of the restart',
      check: (o) => {
        const entries = Object.entries(o.readiness);
        const drop = Math.max(...entries.map(([, r]) => r.droppedAfterMs ?? Infinity));
        const recover = Math.max(...entries.map(([, r]) => r.recoveredAfterMs ?? Infinity));
        return {
          pass: entries.length > 0 && drop <= 3_000 && recover <= 10_000,
          observed: `slowest drop ${Number.isFinite(drop) ? seconds(drop) : 'never'}, slowest recovery ${
            Number.isFinite(recover) ? seconds(recover) : 'never'
          } (${entries.length} replicas)`,
          expected: 'drop ≤ 3.0 s, recovery ≤ 10.0 s',
        };
      },
    },
    {
      id: 'recovers-without-restart',
      statement: `the same processes serve again without failures within ${recoveryLimitMs / 1000} s of Redis being back`,
      check: (o) => {
        const restarted = Object.entries(o.sameProcess)
          .filter(([, same]) => !same)
          .map(([name]) => name);
        const { lastFailureAfterRestartMs: last, okAfterLastFailureMs: ok } = o.recovery;
        return {
          pass: restarted.length === 0 && last <= recoveryLimitMs && ok >= sustainedMs,
          observed:
            `${restarted.length === 0 ? 'same PIDs' : `restarted: ${restarted.join(', ')}`}; ` +
            `last failure ${last <= 0 ? 'before Redis was back' : `${seconds(last)} after Redis was back`}, ` +
            `then ${seconds(ok)} without failures`,
          expected: `same PIDs; last failure ≤ ${seconds(recoveryLimitMs)}, then ≥ ${seconds(sustainedMs)} ok`,
        };
      },
    },
    {
      id: 'outage-answers-are-problems',
      statement:
        'clients see the outage as 503s (or 504 past their deadline), never 500s, resets or refused connections',
      check: (o) => ({
        ...atMost(o.failuresNotProblem, 0),
        observed: `${o.failuresNotProblem} other failures; failures by code ${JSON.stringify(o.failuresByCode)}`,
      }),
    },
    paidExactlyOnce('every order accepted around the blip is paid, with exactly one captured payment'),
    zeroLost(),
  ],
});
