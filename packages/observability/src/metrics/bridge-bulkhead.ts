import { CONTRACT_METRICS } from './contract-metrics.ts';
import { disposeAll } from './dispose-all.ts';
import type { Disposable, MetricsRegistry } from './metrics-registry.ts';
import { SPAN_ATTRIBUTE, SPAN_EVENT } from './names.ts';
import type { BulkheadLike } from './resilience-shapes.ts';
import { addSpanEvent } from './span-events.ts';

/**
 * Records a bulkhead: `resilience_bulkhead_in_flight{name}` and `resilience_bulkhead_queued{name}`
 * read from `snapshot()` at scrape time, and `resilience_bulkhead_rejected_total{name}` (starts
 * at 0), plus a `bulkhead.rejected` event on the active span. Disposing removes the
 * subscription and both gauge series; the counter keeps its total.
 */
export function bridgeBulkhead(bulkhead: BulkheadLike, metrics: MetricsRegistry): Disposable {
  const rejected = metrics.counter(CONTRACT_METRICS.bulkheadRejected);
  rejected.inc({ name: bulkhead.name }, 0);
  return disposeAll([
    metrics.collectedGauge(CONTRACT_METRICS.bulkheadInFlight).add((set) => {
      set({ name: bulkhead.name }, bulkhead.snapshot().inFlight);
    }),
    metrics.collectedGauge(CONTRACT_METRICS.bulkheadQueued).add((set) => {
      set({ name: bulkhead.name }, bulkhead.snapshot().queued);
    }),
    bulkhead.onReject((e) => {
      rejected.inc({ name: e.name });
      addSpanEvent(SPAN_EVENT.bulkheadRejected, { [SPAN_ATTRIBUTE.policy]: e.name });
    }),
  ]);
}
