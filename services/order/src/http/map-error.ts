import type { HttpProblem } from '@shipshape/observability/http';
import { catalogueProblems, isIdempotencyKeyReusedError } from '@shipshape/service-kit';
import { isInvalidStatusTransitionError } from '../errors/invalid-status-transition-error.ts';
import { isLookupDeadlineError } from '../errors/lookup-deadline-error.ts';
import { isUserServiceUnavailableError } from '../errors/user-service-unavailable-error.ts';
import { errorCatalogue } from '../errors.ts';

/**
 * `catalogueProblem(code, detail, extra?)` builds a problem for a code of this service's
 * catalogue; `withinCatalogue` keeps every other answer inside it; `injectedFault` is the
 * answer of `chaos.errorRate` (see the service kit).
 * Order has two 503 codes with precise meanings, so an unknown 5xx is always internal_error.
 */
export const { catalogueProblem, withinCatalogue, injectedFault } = catalogueProblems(
  errorCatalogue,
  'internal_error',
);

/** `Retry-After` in whole seconds, at least 1 (a 0 would invite an immediate retry storm). */
function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}

/** Maps the order service's own errors to problems; everything else falls through. */
export function mapOrderError(error: unknown): HttpProblem | undefined {
  if (isIdempotencyKeyReusedError(error)) {
    return catalogueProblem(
      'idempotency_key_reused',
      'This Idempotency-Key was first used with a different body; use a new key for a new order.',
      { cause: error },
    );
  }
  if (isUserServiceUnavailableError(error)) {
    // The detail names the upstream, never its address; the reason goes to the log (cause).
    return catalogueProblem(
      'upstream_unavailable',
      `The ${error.upstream} service is unavailable; nothing was stored, retry later.`,
      { cause: error, headers: { 'Retry-After': retryAfterSeconds(error.retryAfterMs) } },
    );
  }
  if (isLookupDeadlineError(error)) {
    // The caller's deadline, not an outage: no Retry-After, and 504 stays out of the SLOs.
    return catalogueProblem(
      'deadline_exceeded',
      'The request deadline left too little time to check the user; nothing was stored.',
      { cause: error },
    );
  }
  if (isInvalidStatusTransitionError(error)) {
    return catalogueProblem('invalid_status_transition', error.message, { cause: error });
  }
  return withinCatalogue(error);
}
