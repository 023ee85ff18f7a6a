/** The payment service's own metrics. */
import { type Counter, LABEL, METRIC, type MetricsRegistry } from '@shipshape/observability/metrics';

/**
 * `payments_total{outcome}`, the contract counter this service owns: one per charge attempt
 * that got an answer, by its outcome (`captured`, `declined`). The registry returns the same
 * instance on every call.
 */
export function paymentsCounter(metrics: MetricsRegistry): Counter<'outcome'> {
  return metrics.counter({
    name: METRIC.paymentsTotal,
    help: 'Payment attempts by outcome.',
    labelNames: [LABEL.outcome],
  });
}
