/**
 * Every metric name, label name and bucket layout of the Shipshape contract, in one place.
 *
 * Units: histograms are in seconds (Prometheus base unit), whatever unit the event carried.
 * Cardinality: every label below takes values from a small, closed set (route templates, not
 * raw paths; policy names chosen in code; a fixed list of states and outcomes). Never put an
 * id, a user input or a raw URL in a label: each distinct value is a new time series.
 */

/** Metric names, exactly as the contract spells them. */
export const METRIC = {
  /** Histogram, seconds. Labels: method, route (template or `unmatched`), status_code. */
  httpServerRequestDuration: 'http_server_request_duration_seconds',
  /** Histogram, seconds. Labels: peer_service, method, status_code (`error` on transport failure). */
  httpClientRequestDuration: 'http_client_request_duration_seconds',
  /** Gauge, one-hot (1 for the current state, 0 for the other three). Labels: name, state. */
  breakerState: 'resilience_circuit_breaker_state',
  /** Counter. Labels: name, from, to (4 × 4 states at most per breaker). */
  breakerTransitions: 'resilience_circuit_breaker_transitions_total',
  /** Counter. Labels: name, outcome = success | failure | slow | rejected. */
  breakerCalls: 'resilience_circuit_breaker_calls_total',
  /** Counter. Labels: name, reason (a short token: an error code, `error` or `result`). */
  retries: 'resilience_retries_total',
  /** Counter. Labels: name. */
  retryBudgetExhausted: 'resilience_retry_budget_exhausted_total',
  /** Counter. Labels: name. */
  timeouts: 'resilience_timeouts_total',
  /** Gauge, read from the bulkhead at scrape time. Labels: name. */
  bulkheadInFlight: 'resilience_bulkhead_in_flight',
  /** Gauge, read from the bulkhead at scrape time. Labels: name. */
  bulkheadQueued: 'resilience_bulkhead_queued',
  /** Counter. Labels: name. */
  bulkheadRejected: 'resilience_bulkhead_rejected_total',
  /** Counter. Labels: name, decision = allowed | rejected. */
  rateLimitDecisions: 'resilience_rate_limit_decisions_total',
  /** Gauge, 1 while the limiter's Redis backend fails and its fail mode is in force. Labels: name. */
  rateLimitDegraded: 'resilience_rate_limit_degraded',
  /** Gauge, read from the queue at scrape time. Labels: queue, state (see {@link QUEUE_STATES}). */
  queueJobs: 'queue_jobs',
  /** Histogram, seconds from a job's start to its end. Labels: queue, outcome. */
  queueJobDuration: 'queue_job_duration_seconds',
  /** Histogram, seconds from a job's creation (or its delay's end) to its start. Labels: queue. */
  queueJobWait: 'queue_job_wait_seconds',
  /** Counter, owned by the order service. Labels: status. */
  ordersTotal: 'orders_total',
  /** Counter, owned by the payment service. Labels: outcome. */
  paymentsTotal: 'payments_total',
  /** Counter. Labels: source (a configuration layer name), outcome = applied | rejected | …. */
  configReloads: 'config_reloads_total',
} as const;

/** Label names used by the contract metrics (plus `service`, added to every series). */
export const LABEL = {
  service: 'service',
  method: 'method',
  route: 'route',
  statusCode: 'status_code',
  peerService: 'peer_service',
  name: 'name',
  state: 'state',
  from: 'from',
  to: 'to',
  outcome: 'outcome',
  reason: 'reason',
  decision: 'decision',
  queue: 'queue',
  status: 'status',
  source: 'source',
} as const;

/**
 * Histogram buckets in seconds: the OpenTelemetry-recommended boundaries for HTTP durations,
 * used by every histogram of the contract so that dashboards can compare them.
 */
export const DURATION_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
] as const;

/** The `route` label of requests that matched no route: one series, whatever the raw path. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The `method` label of any HTTP method outside the standard set (OpenTelemetry's `_OTHER`). */
export const OTHER_METHOD = '_OTHER';

/**
 * The `status_code` label of a server request whose client went away before the response
 * finished (nginx's "client closed request" code), and of a client request that failed at the
 * transport level.
 */
export const STATUS_CLIENT_CLOSED = '499';
/** The `status_code` label of an outbound request that got no HTTP status (connection refused, reset, timeout). */
export const STATUS_TRANSPORT_ERROR = 'error';

/** The circuit breaker states, each one series of the one-hot state gauge. */
export const BREAKER_STATES = ['closed', 'open', 'half_open', 'isolated'] as const;

/** The circuit breaker call outcomes. */
export const BREAKER_OUTCOMES = ['success', 'failure', 'slow', 'rejected'] as const;

/** The rate limiter decisions. */
export const RATE_LIMIT_DECISIONS = ['allowed', 'rejected'] as const;

/** The `state` values of `queue_jobs`. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'dead_letter'] as const;

/** Span event names added to the active span by the resilience bridge. */
export const SPAN_EVENT = {
  /** A failed attempt will be retried. Attributes: policy, attempt, delay_ms, reason. */
  retry: 'retry',
  /** The retry policy stopped retrying. Attributes: policy, attempts, reason. */
  retryGiveUp: 'retry.give_up',
  /** A call was refused by an open or isolated breaker. Attributes: policy, state. */
  breakerRejected: 'circuit_breaker.rejected',
  /** A call was refused by a full bulkhead. Attributes: policy. */
  bulkheadRejected: 'bulkhead.rejected',
  /** A call was cancelled by a timeout policy. Attributes: policy, timeout_ms. */
  timeout: 'timeout',
  /** A rate limiter refused a request. Attributes: policy. */
  rateLimited: 'rate_limited',
} as const;

/** Attribute keys of the span events above. */
export const SPAN_ATTRIBUTE = {
  /** The policy's `name`. */
  policy: 'policy',
  attempt: 'attempt',
  attempts: 'attempts',
  delayMs: 'delay_ms',
  reason: 'reason',
  state: 'state',
  timeoutMs: 'timeout_ms',
} as const;

/** Exemplar label names (OpenMetrics), linking a histogram bucket to one trace in Jaeger. */
export const EXEMPLAR_LABEL = {
  traceId: 'trace_id',
  spanId: 'span_id',
} as const;
