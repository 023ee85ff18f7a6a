import { ADAPTIVE_METRICS, ADAPTIVE_SPAN_EVENT } from './adaptive-names.ts';
import type { ConcurrencyLimitLike } from './adaptive-shapes.ts';
import { disposeAll } from './dispose-all.ts';
import type { Disposable, MetricsRegistry } from './metrics-registry.ts';
import { SPAN_ATTRIBUTE } from './names.ts';
import { addSpanEvent } from './span-events.ts';

/**
 * Records an adaptive concurrency limiter: `resilience_concurrency_limit{name}` and
 * `resilience_concurrency_limit_in_flight{name}` read from `snapshot()` at scrape time, and
 * `resilience_concurrency_limit_rejected_total{name}` (starts at 0), plus a
 * `concurrency_limited` event on the active span per rejection. Disposing removes the
 * subscription and both gauge series; the counter keeps its total.
 */
export function bridgeConcurrencyLimit(limiter: ConcurrencyLimitLike, metrics: MetricsRegistry): Disposable {
  const rejected = metrics.counter(ADAPTIVE_METRICS.concurrencyLimitRejected);
  rejected.inc({ name: limiter.name }, 0);
  return disposeAll([
    metrics.collectedGauge(ADAPTIVE_METRICS.concurrencyLimit).add((set) => {
      set({ name: limiter.name }, limiter.snapshot().limit);
    }),
    metrics.collectedGauge(ADAPTIVE_METRICS.concurrencyLimitInFlight).add((set) => {
      set({ name: limiter.name }, limiter.snapshot().inFlight);
    }),
    limiter.onReject((e) => {
      rejected.inc({ name: e.name });
      addSpanEvent(ADAPTIVE_SPAN_EVENT.concurrencyLimited, {
        [SPAN_ATTRIBUTE.policy]: e.name,
        limit: e.limit,
      });
    }),
  ]);
}
