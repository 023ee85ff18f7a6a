import { CONTRACT_METRICS } from './contract-metrics.ts';
import { disposeAll } from './dispose-all.ts';
import type { Disposable, MetricsRegistry } from './metrics-registry.ts';
import { SPAN_ATTRIBUTE, SPAN_EVENT } from './names.ts';
import type { RetryLike } from './resilience-shapes.ts';
import { addSpanEvent } from './span-events.ts';

/**
 * Records a retry policy: `resilience_retries_total{name,reason}` per scheduled retry and
 * `resilience_retry_budget_exhausted_total{name}` (starts at 0) per retry the budget refused.
 * Each retry adds a `retry` event (attempt, delay_ms, reason) to the active span, and giving up
 * adds `retry.give_up`. Disposing removes the subscriptions; counters keep their totals.
 */
export function bridgeRetry(retry: RetryLike, metrics: MetricsRegistry): Disposable {
  const retries = metrics.counter(CONTRACT_METRICS.retries);
  const exhausted = metrics.counter(CONTRACT_METRICS.retryBudgetExhausted);
  exhausted.inc({ name: retry.name }, 0);
  return disposeAll([
    retry.onRetry((e) => {
      retries.inc({ name: e.name, reason: e.reason });
      addSpanEvent(SPAN_EVENT.retry, {
        [SPAN_ATTRIBUTE.policy]: e.name,
        [SPAN_ATTRIBUTE.attempt]: e.attempt,
        [SPAN_ATTRIBUTE.delayMs]: e.delayMs,
        [SPAN_ATTRIBUTE.reason]: e.reason,
      });
    }),
    retry.onGiveUp((e) => {
      addSpanEvent(SPAN_EVENT.retryGiveUp, {
        [SPAN_ATTRIBUTE.policy]: e.name,
        [SPAN_ATTRIBUTE.attempts]: e.attempts,
        [SPAN_ATTRIBUTE.reason]: e.reason,
      });
    }),
    retry.onBudgetExhausted((e) => exhausted.inc({ name: e.name })),
  ]);
}
