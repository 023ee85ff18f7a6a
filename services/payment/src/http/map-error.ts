import { HttpProblem, toHttpProblem } from '@shipshape/observability';
import { isIdempotencyKeyReusedError, isRedisUnavailableError } from '@shipshape/service-kit';
import { isIdempotencyKeyInProgressError } from '../errors/idempotency-key-in-progress-error.ts';
import { isProcessorUnavailableError } from '../errors/processor-unavailable-error.ts';
import { errorCatalogue, type ErrorCode } from '../errors.ts';

/** An {@link HttpProblem} for a code of this service's catalogue (status and title from it). */
export function catalogueProblem(
  code: ErrorCode,
  detail: string,
  extra: { headers?: Record<string, string>; cause?: unknown } = {},
): HttpProblem {
  const { status, title } = errorCatalogue[code];
  return new HttpProblem({ status, code, title, detail, ...extra });
}

/**
 * Keeps every answer inside the catalogue: Redis being unreachable is 503 `service_unavailable`
 * (a retry may succeed), and an error the built-in mapping would answer with a
 * code this service does not document (express's 400 for a path that is not valid
 * percent-encoding, body-parser's `malformed_request`) gets the catalogue code of its status,
 * else `validation_failed` for a 4xx and `internal_error` for a 5xx.
 */
function withinCatalogue(error: unknown): HttpProblem | undefined {
  if (isRedisUnavailableError(error)) {
    return catalogueProblem('service_unavailable', 'The service cannot reach its store; retry later.', {
      cause: error,
      headers: { 'Retry-After': '1' },
    });
  }
  const builtIn = toHttpProblem(error);
  if (Object.hasOwn(errorCatalogue, builtIn.code)) return undefined;
  const sameStatus = (Object.keys(errorCatalogue) as ErrorCode[]).find(
    (code) => errorCatalogue[code].status === builtIn.status,
  );
  // Payment has two 503 codes with precise meanings, so an unknown 5xx is always internal_error.
  const code = builtIn.status < 500 ? (sameStatus ?? 'validation_failed') : 'internal_error';
  const detail = builtIn.status < 500 ? builtIn.message : 'An unexpected error occurred.';
  return catalogueProblem(code, detail, { cause: error });
}

/**
 * Maps the payment service's own errors to problems; everything else falls through.
 * `retryAfterMs` is the `Retry-After` of a 503 `processor_unavailable` (read per error, so a
 * config change applies at once).
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
      const seconds = Math.max(1, Math.ceil(retryAfterMs() / 1000));
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
