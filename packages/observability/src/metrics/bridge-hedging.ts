import { ADAPTIVE_METRICS, ADAPTIVE_SPAN_EVENT } from './adaptive-names.ts';
import type { HedgingLike } from './adaptive-shapes.ts';
import { disposeAll } from './dispose-all.ts';
import type { Disposable, MetricsRegistry } from './metrics-registry.ts';
import { SPAN_ATTRIBUTE } from './names.ts';
import { addSpanEvent } from './span-events.ts';

/**
 * Records a service client's hedging: `resilience_hedges_sent_total{name}`,
 * `resilience_hedges_won_total{name}` (both start at 0) and
 * `resilience_hedges_skipped_total{name,reason}`; each hedge adds a `hedge` event (hedge,
 * delay_ms) to the active span, the caller's. Disposing removes the subscriptions.
 */
export function bridgeHedging(hedging: HedgingLike, metrics: MetricsRegistry): Disposable {
  const sent = metrics.counter(ADAPTIVE_METRICS.hedgesSent);
  const won = metrics.counter(ADAPTIVE_METRICS.hedgesWon);
  const skipped = metrics.counter(ADAPTIVE_METRICS.hedgesSkipped);
  sent.inc({ name: hedging.name }, 0);
  won.inc({ name: hedging.name }, 0);
  return disposeAll([
    hedging.onHedge((e) => {
      sent.inc({ name: e.name });
      addSpanEvent(ADAPTIVE_SPAN_EVENT.hedge, {
        [SPAN_ATTRIBUTE.policy]: e.name,
        hedge: e.hedge,
        [SPAN_ATTRIBUTE.delayMs]: e.delayMs,
      });
    }),
    hedging.onHedgeWon((e) => won.inc({ name: e.name })),
    hedging.onHedgeSkipped((e) => skipped.inc({ name: e.name, reason: e.reason })),
  ]);
}
