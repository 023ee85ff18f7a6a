import { CONTRACT_METRICS } from './contract-metrics.ts';
import { disposeAll } from './dispose-all.ts';
import type { Disposable, MetricsRegistry } from './metrics-registry.ts';
import { BREAKER_OUTCOMES, BREAKER_STATES, SPAN_ATTRIBUTE, SPAN_EVENT } from './names.ts';
import type { BreakerLike } from './resilience-shapes.ts';
import { addSpanEvent } from './span-events.ts';

/**
 * Records a circuit breaker in the contract metrics:
 * - `resilience_circuit_breaker_state{name,state}`: one-hot over all four states, read from
 *   `snapshot()` at scrape time (so lazy transitions, e.g. open → half_open after the wait,
 *   show without a call);
 * - `resilience_circuit_breaker_transitions_total{name,from,to}`;
 * - `resilience_circuit_breaker_calls_total{name,outcome}`: success (not slow), slow (a success
 *   slower than the breaker's threshold), failure, rejected. All four start at 0 so that
 *   `rate()` works from the first scrape.
 * Each rejection also adds a `circuit_breaker.rejected` event to the active span.
 * Disposing removes the subscriptions and the state series; counters keep their totals.
 */
export function bridgeBreaker(breaker: BreakerLike, metrics: MetricsRegistry): Disposable {
  const transitions = metrics.counter(CONTRACT_METRICS.breakerTransitions);
  const calls = metrics.counter(CONTRACT_METRICS.breakerCalls);
  for (const outcome of BREAKER_OUTCOMES) calls.inc({ name: breaker.name, outcome }, 0);
  const subscriptions = [
    metrics.collectedGauge(CONTRACT_METRICS.breakerState).add((set) => {
      const { state } = breaker.snapshot();
      for (const s of BREAKER_STATES) set({ name: breaker.name, state: s }, s === state ? 1 : 0);
    }),
    breaker.onStateChange((e) => transitions.inc({ name: e.name, from: e.from, to: e.to })),
  ];
  if (breaker.onSuccess) {
    subscriptions.push(
      breaker.onSuccess((e) => calls.inc({ name: e.name, outcome: e.slow ? 'slow' : 'success' })),
    );
  }
  if (breaker.onFailure) {
    subscriptions.push(breaker.onFailure((e) => calls.inc({ name: e.name, outcome: 'failure' })));
  }
  if (breaker.onReject) {
    subscriptions.push(
      breaker.onReject((e) => {
        calls.inc({ name: e.name, outcome: 'rejected' });
        addSpanEvent(SPAN_EVENT.breakerRejected, {
          [SPAN_ATTRIBUTE.policy]: e.name,
          [SPAN_ATTRIBUTE.state]: e.state,
        });
      }),
    );
  }
  return disposeAll(subscriptions);
}
