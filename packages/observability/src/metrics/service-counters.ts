import type { Counter } from 'prom-client';
import { CONTRACT_METRICS } from './contract-metrics.ts';
import type { MetricsRegistry } from './metrics-registry.ts';

/**
 * `orders_total{status}`, owned by the order service: increment it where an order reaches a
 * status. Declared here so its name and labels stay the contract's.
 */
export function ordersCounter(metrics: MetricsRegistry): Counter<'status'> {
  return metrics.counter(CONTRACT_METRICS.ordersTotal);
}

/** `payments_total{outcome}`, owned by the payment service: increment it per payment attempt. */
export function paymentsCounter(metrics: MetricsRegistry): Counter<'outcome'> {
  return metrics.counter(CONTRACT_METRICS.paymentsTotal);
}
