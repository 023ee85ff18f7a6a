import { allOf, atLeast, atMost, perSecond, within } from '../framework/hypothesis.ts';
import { pick, type RunMode } from '../framework/run-mode.ts';
import { defineScenario, type WatchPlan } from '../framework/scenario.ts';
import { increase, replicaNames } from '../observe/metric-sampler.ts';
import { countByStatus, isFailure } from '../observe/request-log.ts';
import { inboundLimiter } from './order-signals.ts';
import { probeRateLimit, type RateLimitProbe } from './rate-limit-probe.ts';

/** What traffic-burst observes. */
export interface TrafficBurstObservations {
  /** The global limit in force: `limit` requests per `windowMs`, shared by the replicas. */
  readonly limit: { readonly limit: number; readonly windowMs: number; readonly replicas: number };
  /** The measuring window inside the burst, ms after the load started. */
  readonly window: { readonly fromMs: number; readonly toMs: number };
  /** Order requests sent per second in the window (must be well over the limit). */
  readonly offeredRate: number;
  /** Order requests not answered 429 per second in the window, over every replica. */
  readonly admittedRate: number;
  /** 429s the load received over the whole run. */
  readonly rejected: number;
  readonly probes: RateLimitProbe;
  /** Per replica: allowed and rejected decisions of `order-inbound` over the run. */
  readonly replicaDecisions: Readonly<
    Record<string, { readonly allowed: number; readonly rejected: number }>
  >;
  /** Requests that failed with a 5xx or a transport error, by status. */
  readonly failures: Readonly<Record<string, number>>;
  /**
   * Samples in the window where a replica's limiter was degraded (Redis slower than its 100 ms
   * decision timeout, so the local fail mode decided): explains an admitted rate over the limit.
   */
  readonly degradedSamples: number;
}

/**
 * The scenario's global limit: 30 requests per second for all order replicas together. Small, so
 * that the 5× burst (150/s) leaves CPU to spare on a 2-core machine: a starved Redis answering
 * the limiter after its 100 ms timeout sends it to its local fail mode, which is another story.
 */
const limit = 30;
const windowMs = 1_000;
/** Load before and after the burst, as a share of the limit. */
const baseShare = 0.8;
const multiplier = 5;

function burst(mode: RunMode): { afterMs: number; lengthMs: number; durationMs: number } {
  return pick(mode, {
    short: { afterMs: 4_000, lengthMs: 9_000, durationMs: 16_000 },
    full: { afterMs: 15_000, lengthMs: 30_000, durationMs: 60_000 },
  });
}

/**
 * A 5× burst against three order replicas that share one Redis-backed inbound limit (GCRA, 30
 * per second, keyed by client). Excess requests must get 429 with `Retry-After` and the
 * ratelimit headers, and the rate admitted by all replicas together must be the configured
 * global limit, within ±2 % — not three times it.
 */
export const trafficBurst = defineScenario<TrafficBurstObservations>({
  name: 'traffic-burst',
  title: `5× burst on 3 order replicas → 429 + Retry-After, admitted rate = the global limit (${limit}/s) ±2%`,
  requiresLocal: false,
  setup: () => ({
    replicas: { order: 3 },
    serviceEnv: {
      order: {
        RATE_LIMIT__LIMIT: String(limit),
        RATE_LIMIT__WINDOW_MS: String(windowMs),
        // While Redis is slow to answer (a loaded machine), each replica's fail mode admits
        // its share only, so the fleet stays near the global limit.
        RATE_LIMIT__EXPECTED_REPLICAS: '3',
      },
    },
  }),
  async prepare(context) {
    // A target keeps its own limit otherwise; the runtime override is removed again in cleanup.
    if (context.environment.mode === 'target') {
      await context.environment.setConfig('order', {
        'rateLimit.limit': limit,
        'rateLimit.windowMs': windowMs,
      });
    }
  },
  async cleanup(context) {
    if (context.environment.mode === 'target') {
      await context.environment.clearConfig('order', ['rateLimit.limit', 'rateLimit.windowMs']);
    }
  },
  load: (mode) => {
    const b = burst(mode);
    const rate = (baseShare * limit * 1000) / windowMs;
    return {
      // --no-fault: the same base load without the burst.
      profile: mode.fault
        ? {
            profile: 'spike',
            rate,
            durationMs: b.durationMs,
            spikeAfterMs: b.afterMs,
            spikeLengthMs: b.lengthMs,
            spikeMultiplier: multiplier,
          }
        : { profile: 'steady', rate, durationMs: b.durationMs },
      mix: { 'create-order': 1, 'read-order': 19 },
    };
  },
  watch: (): WatchPlan => ({
    metrics: [
      {
        key: 'allowed',
        service: 'order',
        metric: 'resilience_rate_limit_decisions_total',
        labels: { name: inboundLimiter('order'), decision: 'allowed' },
      },
      {
        key: 'rejected',
        service: 'order',
        metric: 'resilience_rate_limit_decisions_total',
        labels: { name: inboundLimiter('order'), decision: 'rejected' },
      },
      {
        key: 'degraded',
        service: 'order',
        metric: 'resilience_rate_limit_degraded',
        labels: { name: inboundLimiter('order') },
      },
    ],
    intervalMs: 1_000,
  }),
  timeline: (mode) => [
    {
      atMs: burst(mode).afterMs + 2_000,
      kind: 'action',
      name: 'probe every order replica for 429 headers',
      run: async (context) => {
        context.notes.set(
          'probes',
          await probeRateLimit(context.environment.urls('order'), 3, context.elapsedMs),
        );
      },
    },
  ],
  observe(context) {
    const b = burst(context.mode);
    const fromMs = b.afterMs + 1_000;
    const toMs = b.afterMs + b.lengthMs;
    const seconds = (toMs - fromMs) / 1000;
    const inWindow = context.requests
      .select({ fromMs, toMs })
      .filter((r) => r.kind === 'create-order' || r.kind === 'read-order');
    const probes = context.notes.get('probes') as RateLimitProbe;
    const admittedProbes = probes.admittedAtMs.filter((t) => t >= fromMs && t < toMs).length;
    const admitted =
      inWindow.filter((r) => r.status !== '429' && r.status !== 'error').length + admittedProbes;
    const replicaDecisions: Record<string, { allowed: number; rejected: number }> = {};
    for (const replica of replicaNames(context.environment, 'order')) {
      const series = (key: string) => context.metrics.replicaSeries(key, replica);
      replicaDecisions[replica] = {
        allowed: increase(series('allowed'), 0, Number.POSITIVE_INFINITY) ?? 0,
        rejected: increase(series('rejected'), 0, Number.POSITIVE_INFINITY) ?? 0,
      };
    }
    return Promise.resolve({
      limit: { limit, windowMs, replicas: context.environment.urls('order').length },
      window: { fromMs, toMs },
      offeredRate: round1(inWindow.length / seconds),
      admittedRate: round1(admitted / seconds),
      rejected: context.requests.requests.filter((r) => r.status === '429').length,
      probes,
      replicaDecisions,
      failures: countByStatus(context.requests.requests.filter(isFailure)),
      degradedSamples: context.metrics
        .series('degraded')
        .filter((p) => p.tMs >= fromMs && p.tMs <= toMs && p.value > 0).length,
    });
  },
  hypotheses: [
    {
      id: 'global-limit-held',
      statement: 'during the burst the replicas together admit the configured global limit',
      check: (o) => {
        const target = (o.limit.limit * 1000) / o.limit.windowMs;
        return allOf(
          within(o.admittedRate, target, 0.02, perSecond),
          {
            ...atLeast(o.offeredRate, 2 * target, perSecond),
            observed: `offered ${perSecond(o.offeredRate)}`,
          },
          {
            pass: o.degradedSamples === 0,
            observed: `limiter degraded in ${o.degradedSamples} samples`,
            expected: 'decided by Redis throughout',
          },
        );
      },
    },
    {
      id: 'rejections-carry-retry-after',
      statement: 'excess requests get 429 with Retry-After, RateLimit and RateLimit-Policy',
      check: (o) => {
        const p = o.probes;
        return {
          pass: o.rejected > 0 && p.rejected > 0 && p.withHeaders === p.rejected,
          observed: `load got ${o.rejected} × 429; probes: ${p.withHeaders}/${p.rejected} 429s with all three headers (Retry-After ${p.retryAfter.join(',') || '-'})`,
          expected: '429s seen, every one with the headers',
        };
      },
    },
    {
      id: 'every-replica-limits',
      statement: 'every order replica admits and rejects through the shared limit',
      check: (o) => {
        const entries = Object.entries(o.replicaDecisions);
        return {
          pass:
            entries.length === o.limit.replicas && entries.every(([, d]) => d.allowed > 0 && d.rejected > 0),
          observed:
            entries.map(([r, d]) => `${r} ${d.allowed}/${d.rejected}`).join(', ') + ' (allowed/rejected)',
          expected: `${o.limit.replicas} replicas, each > 0/> 0`,
        };
      },
    },
    {
      id: 'no-5xx',
      statement: 'the burst causes no 5xx or transport error',
      check: (o) => {
        const failed = Object.values(o.failures).reduce((a, b) => a + b, 0);
        return { ...atMost(failed, 0), observed: `${failed} failed ${JSON.stringify(o.failures)}` };
      },
    },
  ],
});

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
