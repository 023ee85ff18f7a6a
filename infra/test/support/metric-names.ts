/**
 * The metric names a dashboard or rule may use: the contract's, the service kit's Redis memory
 * gauges, prom-client's default process and Node.js metrics, Prometheus' own `up`, and the recording rules defined in
 * infra/prometheus/rules. Anything else is a typo or a metric no service exports.
 */

/** The contract's metrics (/work/shared/CONTRACT.md "Metric names"), by type. */
export const CONTRACT_HISTOGRAMS = [
  'http_server_request_duration_seconds',
  'http_client_request_duration_seconds',
  'queue_job_duration_seconds',
  'queue_job_wait_seconds',
] as const;

export const CONTRACT_SERIES = [
  'resilience_circuit_breaker_state',
  'resilience_circuit_breaker_transitions_total',
  'resilience_circuit_breaker_calls_total',
  'resilience_retries_total',
  'resilience_retry_budget_exhausted_total',
  'resilience_timeouts_total',
  'resilience_bulkhead_in_flight',
  'resilience_bulkhead_queued',
  'resilience_bulkhead_rejected_total',
  'resilience_rate_limit_decisions_total',
  'resilience_rate_limit_degraded',
  'queue_jobs',
  'orders_total',
  'payments_total',
  'config_reloads_total',
] as const;

/**
 * Metrics added in the contract's style beyond its table (hedging and the adaptive concurrency
 * limit, `@shipshape/observability`'s `ADAPTIVE_METRIC`).
 */
export const CONTRACT_STYLE_SERIES = [
  'resilience_hedges_sent_total',
  'resilience_hedges_won_total',
  'resilience_hedges_skipped_total',
  'resilience_concurrency_limit',
  'resilience_concurrency_limit_in_flight',
  'resilience_concurrency_limit_rejected_total',
] as const;

/**
 * The order service's payment backlog metrics, in the contract's style (`services/order`
 * README "Backpressure"): the paid-lag histogram, the backlog age and its bound, shed orders.
 */
export const ORDER_BACKLOG_HISTOGRAMS = ['order_paid_lag_seconds'] as const;
export const ORDER_BACKLOG_SERIES = [
  'order_payment_backlog_age_seconds',
  'order_payment_backlog_max_age_seconds',
  'order_intake_shed_total',
  'payment_worker_restarts_total',
] as const;

/** Metrics the service kit adds (`services/service-kit`): Redis memory under redis_exporter's names. */
export const SERVICE_KIT_SERIES = ['redis_memory_used_bytes', 'redis_memory_max_bytes'] as const;

/** prom-client 15 `collectDefaultMetrics()` names (no prefix). */
export const PROM_CLIENT_DEFAULTS = [
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_seconds_total',
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  'process_virtual_memory_bytes',
  'process_heap_bytes',
  'process_open_fds',
  'process_max_fds',
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_heap_space_size_total_bytes',
  'nodejs_heap_space_size_used_bytes',
  'nodejs_heap_space_size_available_bytes',
  'nodejs_version_info',
  'nodejs_gc_duration_seconds_bucket',
  'nodejs_gc_duration_seconds_sum',
  'nodejs_gc_duration_seconds_count',
] as const;

/** Every raw metric name a query may select. */
export const ALLOWED_METRICS: ReadonlySet<string> = new Set([
  ...[...CONTRACT_HISTOGRAMS, ...ORDER_BACKLOG_HISTOGRAMS].flatMap((name) => [
    `${name}_bucket`,
    `${name}_sum`,
    `${name}_count`,
  ]),
  ...ORDER_BACKLOG_SERIES,
  ...CONTRACT_SERIES,
  ...CONTRACT_STYLE_SERIES,
  ...SERVICE_KIT_SERIES,
  ...PROM_CLIENT_DEFAULTS,
  'up',
]);

// PromQL words that look like identifiers but are not metrics.
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'histogram_quantile',
  'absent',
  'absent_over_time',
  'avg_over_time',
  'max_over_time',
  'min_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
  'label_replace',
  'label_join',
  'clamp_min',
  'clamp_max',
  'abs',
  'ceil',
  'floor',
  'round',
  'time',
  'vector',
  'scalar',
  'sort',
  'sort_desc',
  'changes',
  'resets',
  'timestamp',
  'label_values',
  'inf',
  'nan',
]);

/**
 * The metric (or recording rule) names a PromQL expression selects. Strings, label matchers,
 * grouping clauses, durations and Grafana variables are removed first, so what is left are
 * function names, keywords and series names.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\$\w+/g, ' ');
  const names = stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(names.filter((name) => !KEYWORDS.has(name.toLowerCase()) && !/^\d/.test(name)))];
}
