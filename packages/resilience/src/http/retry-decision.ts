import { isTimeoutError } from '../errors/timeout-error.ts';
import { createRateLimitedError } from './rate-limited.ts';
import { errorCode, isNotSentError, isRetryableStatus, isTransportError } from './classify.ts';
import type { Endpoint } from './endpoints/endpoint.ts';
import { UpstreamHttpError } from './errors/upstream-http-error.ts';
import { UpstreamUnavailableError } from './errors/upstream-unavailable-error.ts';
import { retryAfterMs } from './retry-after.ts';
import type { AttemptResult } from './send-attempt.ts';

/** How one attempt ended (a breaker rejection is not an attempt and never gets here). */
export type AttemptOutcome =
  | { readonly kind: 'response'; readonly endpoint: Endpoint; readonly result: AttemptResult }
  | { readonly kind: 'error'; readonly endpoint: Endpoint; readonly error: unknown };

/** True when the outcome is an answer the caller gets as a response (2xx, 3xx, 4xx but 429). */
export function isFinalResponse(outcome: AttemptOutcome): boolean {
  return outcome.kind === 'response' && outcome.result.status < 500 && outcome.result.status !== 429;
}

/**
 * Why this outcome deserves another attempt (a bounded token for metrics), or `undefined`
 * when it does not. Requests that may not be sent twice are retried only when the upstream
 * cannot have received them (connection refused, connect timeout).
 */
export function retryReason(outcome: AttemptOutcome, retryable: boolean): string | undefined {
  if (outcome.kind === 'response') {
    return retryable && isRetryableStatus(outcome.result.status)
      ? `http_${outcome.result.status}`
      : undefined;
  }
  const { error } = outcome;
  if (isNotSentError(error)) return errorCode(error);
  if (!retryable) return undefined;
  if (isTimeoutError(error)) return 'timeout';
  return isTransportError(error) ? errorCode(error) : undefined;
}

/** The wait the upstream asked for in this answer (Retry-After / RateLimit), in ms. */
export function requestedDelayMs(outcome: AttemptOutcome): number | undefined {
  return outcome.kind === 'response' ? retryAfterMs(outcome.result.headers) : undefined;
}

/**
 * The error a call ends with after its last attempt: 429 → RateLimitedError, 5xx →
 * UpstreamHttpError, transport failure → UpstreamUnavailableError('connection_failed'),
 * timeouts and anything else unchanged.
 */
export function finalError(service: string, outcome: AttemptOutcome): unknown {
  if (outcome.kind === 'response') {
    const { status, body } = outcome.result;
    if (status === 429) return createRateLimitedError(service, requestedDelayMs(outcome) ?? 0, body);
    return new UpstreamHttpError(service, status, body, outcome.endpoint.key, requestedDelayMs(outcome));
  }
  const { error } = outcome;
  if (isTimeoutError(error)) return error;
  if (isTransportError(error))
    return new UpstreamUnavailableError(service, 'connection_failed', { cause: error });
  return error;
}

/**
 * The error of a call that found no endpoint to send to: `no_endpoints` when there is none,
 * else `circuit_open` with the time until the first breaker admits a probe as `retryAfterMs`.
 */
export function unavailableError(
  service: string,
  endpoints: readonly Endpoint[],
  last: AttemptOutcome | undefined,
): UpstreamUnavailableError {
  const cause = last && finalError(service, last);
  if (endpoints.length === 0) return new UpstreamUnavailableError(service, 'no_endpoints', { cause });
  const waits = endpoints.map(
    (e) => (e.breaker?.snapshot() as { openRemainingMs?: number } | undefined)?.openRemainingMs ?? 0,
  );
  const soonest = Math.min(...waits);
  const retryAfterMs = soonest > 0 ? Math.ceil(soonest) : 1000;
  return new UpstreamUnavailableError(service, 'circuit_open', { retryAfterMs, cause });
}
