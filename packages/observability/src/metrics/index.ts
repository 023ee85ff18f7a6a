// Public surface of the metrics area. Internals (contract specs, the exposition parser used by
// tests) stay unexported on purpose.

// Registry and exposition
export { MetricsRegistry } from './metrics-registry.ts';
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
export { httpClientMetrics } from './http-client-metrics.ts';
export type { HttpClientAttempt, HttpClientMetrics } from './http-client-metrics.ts';
