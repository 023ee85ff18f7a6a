/**
 * What the order service exposes about its payment path, by contract metric names and the label
 * values the order service uses (breakers are per payment endpoint, `payment/<host:port>`; the
 * client's retry, timeout and bulkhead policies are named `payment`; the queue is `payments`).
 */
import type { ServiceName } from '@shipshape/stack';
import type { ScenarioContext } from '../framework/scenario.ts';
import type { MetricWatch } from '../observe/metric-sampler.ts';
import { auditOrders, type OrderAudit } from '../observe/order-audit.ts';

/** Matches the order service's payment client policies: `payment` and `payment/<host:port>`. */
export const paymentPolicy = /^payment(\/|$)/;

/** The BullMQ queue of charges. */
export const paymentsQueue = 'payments';

/** Watches of the payment path most scenarios sample. */
export const paymentPathWatches: readonly MetricWatch[] = [
  {
    key: 'breakerOpen',
    service: 'order',
    metric: 'resilience_circuit_breaker_state',
    labels: { name: paymentPolicy, state: 'open' },
  },
  {
    key: 'breakerOpened',
    service: 'order',
    metric: 'resilience_circuit_breaker_transitions_total',
    labels: { name: paymentPolicy, to: 'open' },
  },
  { key: 'retries', service: 'order', metric: 'resilience_retries_total', labels: { name: paymentPolicy } },
  {
    key: 'budgetExhausted',
    service: 'order',
    metric: 'resilience_retry_budget_exhausted_total',
    labels: { name: paymentPolicy },
  },
  { key: 'timeouts', service: 'order', metric: 'resilience_timeouts_total', labels: { name: paymentPolicy } },
  {
    key: 'inFlight',
    service: 'order',
    metric: 'resilience_bulkhead_in_flight',
    labels: { name: paymentPolicy },
  },
  {
    key: 'attempts',
    service: 'order',
    metric: 'http_client_request_duration_seconds_count',
    labels: { peer_service: 'payment' },
  },
  {
    key: 'jobRuns',
    service: 'order',
    metric: 'queue_job_duration_seconds_count',
    labels: { queue: paymentsQueue },
  },
  {
    key: 'active',
    service: 'order',
    metric: 'queue_jobs',
    labels: { queue: paymentsQueue, state: 'active' },
  },
  {
    key: 'waiting',
    service: 'order',
    metric: 'queue_jobs',
    labels: { queue: paymentsQueue, state: 'waiting' },
  },
  {
    key: 'delayed',
    service: 'order',
    metric: 'queue_jobs',
    labels: { queue: paymentsQueue, state: 'delayed' },
  },
  {
    key: 'deadLetters',
    service: 'order',
    metric: 'queue_jobs',
    labels: { queue: paymentsQueue, state: 'dead_letter' },
    reduce: 'max',
  },
];

/** The inbound rate limiter of a service (`<service>-inbound`). */
export function inboundLimiter(service: ServiceName): string {
  return `${service}-inbound`;
}

/**
 * Waits until every order the load created settled, then checks each one's payments (see
 * {@link auditOrders}).
 */
export function auditCreatedOrders(context: ScenarioContext, settleTimeoutMs: number): Promise<OrderAudit> {
  context.log(
    `auditing ${context.requests.createdOrders.length} orders (settling for up to ${Math.round(settleTimeoutMs / 1000)} s)`,
  );
  return auditOrders({
    orderUrls: context.environment.urls('order'),
    paymentUrls: context.environment.urls('payment'),
    orderIds: context.requests.createdOrders.map((o) => o.id),
    settleTimeoutMs,
    signal: context.stopped,
  });
}
