/**
 * The order service's own metrics, defined once here and shared by the HTTP layer and the payment
 * pipeline, so both increment the same series.
 */
import { type Counter, LABEL, METRIC, type MetricsRegistry } from '@shipshape/observability/metrics';
import type { OrderStatus } from './schemas.ts';

/**
 * `orders_total{status}`, the contract counter this service owns (the registry returns the same
 * instance on every call). Incremented only through {@link orderMetrics} and the payment pipeline.
 */
export function ordersCounter(metrics: MetricsRegistry): Counter<'status'> {
  return metrics.counter({
    name: METRIC.ordersTotal,
    help: 'Orders by final or current status.',
    labelNames: [LABEL.status],
  });
}

/** What {@link orderMetrics} returns. */
export interface OrderMetrics {
  /**
   * Counts an order reaching `status` in `orders_total{status}` (the contract counter):
   * - `pending`: `POST /orders` stored a new order (an Idempotency-Key replay is not counted);
   * - `paid`, `payment_declined`, `payment_failed`: the payment pipeline moved an order there
   *   (counted only when its compare-and-set applied, so a job that runs twice counts once).
   *
   * So `orders_total{status="pending"}` is every accepted order, and accepted minus the final
   * statuses is what is still in flight. A dead-letter replay that pays a `payment_failed` order
   * counts it again under `paid`.
   */
  readonly countOrder: (status: OrderStatus) => void;
}

/** The order metrics on the service's registry (idempotent: every call shares the same series). */
export function orderMetrics(metrics: MetricsRegistry): OrderMetrics {
  const orders = ordersCounter(metrics);
  return { countOrder: (status) => orders.inc({ status }) };
}
