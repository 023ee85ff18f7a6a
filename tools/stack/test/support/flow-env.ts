/**
 * Settings that make the order flow fast enough for tests while keeping its mechanics: short
 * retry backoff, quick stalled-job recovery after a crash, short breaker open time, and an
 * inbound rate limit that the tests' single client IP never hits.
 */
export const fastFlowEnv: Readonly<Record<string, string>> = {
  RATE_LIMIT__LIMIT: '1000000',
  LOG_LEVEL: 'info',
};

/** Order-service settings of the fast flow (pass as `serviceEnv.order`). */
export const fastOrderEnv: Readonly<Record<string, string>> = {
  WORKER__BACKOFF_MS: '100',
  WORKER__BACKOFF_MAX_MS: '1000',
  WORKER__LOCK_DURATION_MS: '2000',
  WORKER__STALLED_INTERVAL_MS: '1000',
  WORKER__SHUTDOWN_TIMEOUT_MS: '2000',
  WORKER__RELAY_CLAIM_IDLE_MS: '2000',
  PAYMENT_CLIENT__BREAKER_OPEN_DURATION_MS: '1000',
};

/** Payment-service settings of the fast flow: a short `Retry-After` on processor 503s. */
export const fastPaymentEnv: Readonly<Record<string, string>> = {
  PROCESSOR__RETRY_AFTER_MS: '100',
};
