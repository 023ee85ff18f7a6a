// Public surface of the metrics area. Internals (contract specs, the exposition parser used by
// tests) stay unexported on purpose.

// Registry and exposition
export { MetricsRegistry } from './metrics-registry.ts';
/** prom-client's metric types, as the registry returns them. */
export type { Counter, Gauge, Histogram } from 'prom-client';
export type {
  CollectedGauge,
  Disposable,
  ExpositionFormat,
  GaugeSetter,
  GaugeSource,
  HistogramSpec,
  MetricSpec,
  MetricsRegistryOptions,
} from './metrics-registry.ts';
export { metricsHandler, negotiateFormat } from './metrics-handler.ts';
export { observeWithTrace, traceExemplar } from './exemplar.ts';

// Names
export {
  BREAKER_OUTCOMES,
  BREAKER_STATES,
  DURATION_BUCKETS_SECONDS,
  EXEMPLAR_LABEL,
  LABEL,
  METRIC,
  OTHER_METHOD,
  QUEUE_STATES,
  RATE_LIMIT_DECISIONS,
  SPAN_EVENT,
  STATUS_CLIENT_CLOSED,
  STATUS_TRANSPORT_ERROR,
  UNMATCHED_ROUTE,
} from './names.ts';

// HTTP
export { httpServerMetrics } from './http-server-metrics.ts';
export type { HttpServerMetricsOptions } from './http-server-metrics.ts';
export { httpClientMetrics } from './http-client-metrics.ts';
export type { HttpClientAttempt, HttpClientMetrics } from './http-client-metrics.ts';

// Resilience bridge (structural shapes; @shipshape/resilience is never imported)
export { bridgeBreaker } from './bridge-breaker.ts';
export { bridgeRetry } from './bridge-retry.ts';
export { bridgeTimeout } from './bridge-timeout.ts';
export { bridgeBulkhead } from './bridge-bulkhead.ts';
export { bridgeRateLimiter } from './bridge-rate-limiter.ts';
export { bridgeServiceClient } from './bridge-service-client.ts';
export type {
  BreakerLike,
  BreakerStateName,
  BulkheadLike,
  RateLimiterLike,
  RetryLike,
  ServiceClientAttempt,
  ServiceClientLike,
  Subscribe,
  TimeoutLike,
} from './resilience-shapes.ts';
export { SPAN_ATTRIBUTE } from './names.ts';

// Queues and configuration (the domain counters, orders_total and payments_total, belong to
// the services that own them; their names are in METRIC)
export { bridgeQueue } from './queue-metrics.ts';
export type { JobEnd, QueueLike, QueueMetrics, QueueMetricsOptions } from './queue-metrics.ts';
export { bridgeConfigReloads } from './config-reloads.ts';
export type { ConfigLike, ConfigReloadEvent } from './config-reloads.ts';
