import { CONTRACT_METRICS } from './contract-metrics.ts';
import { disposeAll } from './dispose-all.ts';
import type { Disposable, MetricsRegistry } from './metrics-registry.ts';
import { SPAN_ATTRIBUTE, SPAN_EVENT } from './names.ts';
import type { TimeoutLike } from './resilience-shapes.ts';
import { addSpanEvent } from './span-events.ts';

/**
 * Records a timeout policy: `resilience_timeouts_total{name}` (starts at 0), plus a `timeout`
 * event on the active span. Disposing removes the subscription; the counter keeps its total.
 */
export function bridgeTimeout(timeout: TimeoutLike, metrics: MetricsRegistry): Disposable {
  const timeouts = metrics.counter(CONTRACT_METRICS.timeouts);
  timeouts.inc({ name: timeout.name }, 0);
  return disposeAll([
    timeout.onTimeout((e) => {
      timeouts.inc({ name: e.name });
      addSpanEvent(SPAN_EVENT.timeout, {
        [SPAN_ATTRIBUTE.policy]: e.name,
        [SPAN_ATTRIBUTE.timeoutMs]: e.timeoutMs,
      });
    }),
  ]);
}
