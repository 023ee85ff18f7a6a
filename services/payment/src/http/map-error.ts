import type { HttpProblem } from '@shipshape/observability/http';
import { catalogueProblems, isIdempotencyKeyReusedError } from '@shipshape/service-kit';
import { isIdempotencyKeyInProgressError } from '../errors/idempotency-key-in-progress-error.ts';
import { isProcessorUnavailableError } from '../errors/processor-unavailable-error.ts';
import { errorCatalogue } from '../errors.ts';

/**
 * `catalogueProblem(code, detail, extra?)` builds a problem for a code of this service's
 * catalogue; `withinCatalogue` keeps every other answer inside it (see the service kit).
 * Payment has two 503 codes with precise meanings, so an unknown 5xx is always internal_error.
 */
export const { catalogueProblem, withinCatalogue } = catalogueProblems(errorCatalogue, 'internal_error');

/**
 * Maps the payment service's own errors to problems; everything else falls through.
 * `retryAfterMs` is the `Retry-After` of a 503 `processor_unavailable` (read per error, so a
 * config change applies at once), unless the error knows better (a spent processor quota).
 */
export function paymentErrorMapper(retryAfterMs: () => number): (error: unknown) => HttpProblem | undefined {
  return (error) => {
    if (isIdempotencyKeyReusedError(error)) {
      return catalogueProblem(
        'idempotency_key_reused',
        'This Idempotency-Key was first used with a different body; use a new key for a new payment.',
        { cause: error },
      );
    }
    if (isIdempotencyKeyInProgressError(error)) {
      return catalogueProblem(
        'idempotency_key_in_progress',
        'Another request with this Idempotency-Key is still being processed; retry later.',
        { cause: error, headers: { 'Retry-After': '1' } },
      );
    }
    if (isProcessorUnavailableError(error)) {
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? retryAfterMs()) / 1000));
      return catalogueProblem(
        'processor_unavailable',
        'The payment processor is unavailable; nothing was charged, retry with the same Idempotency-Key.',
        {
          cause: error,
          headers: { 'Retry-After': String(seconds) },
        },
      );
    }
    return withinCatalogue(error);
  };
}
