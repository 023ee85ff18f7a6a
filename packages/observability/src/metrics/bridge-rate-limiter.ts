import { CONTRACT_METRICS } from './contract-metrics.ts';
import { disposeAll } from './dispose-all.ts';
import type { Disposable, MetricsRegistry } from './metrics-registry.ts';
import { RATE_LIMIT_DECISIONS, SPAN_ATTRIBUTE, SPAN_EVENT } from './names.ts';
import type { RateLimiterLike } from './resilience-shapes.ts';
import { addSpanEvent } from './span-events.ts';

/**
 * Records a rate limiter: `resilience_rate_limit_decisions_total{name,decision}` (both
 * decisions start at 0) and `resilience_rate_limit_degraded{name}` (1 or 0, read from
 * `degraded` at scrape time). A rejection adds a `rate_limited` event to the active span.
 * Disposing removes the subscription and the degraded series; the counter keeps its totals.
 */
export function bridgeRateLimiter(limiter: RateLimiterLike, metrics: MetricsRegistry): Disposable {
  const decisions = metrics.counter(CONTRACT_METRICS.rateLimitDecisions);
  for (const decision of RATE_LIMIT_DECISIONS) decisions.inc({ name: limiter.name, decision }, 0);
  return disposeAll([
    metrics.collectedGauge(CONTRACT_METRICS.rateLimitDegraded).add((set) => {
      set({ name: limiter.name }, limiter.degraded ? 1 : 0);
    }),
    limiter.onDecision((e) => {
      decisions.inc({ name: e.name, decision: e.allowed ? 'allowed' : 'rejected' });
      if (!e.allowed) addSpanEvent(SPAN_EVENT.rateLimited, { [SPAN_ATTRIBUTE.policy]: e.name });
    }),
  ]);
}
