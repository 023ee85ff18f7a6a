import { HttpProblem, toHttpProblem } from '@shipshape/observability';
import { isRedisUnavailableError } from '@shipshape/service-kit';
import { isEmailTakenError } from '../errors/email-taken-error.ts';
import { isInvalidCursorError } from '../errors/invalid-cursor-error.ts';
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
  const code = sameStatus ?? (builtIn.status < 500 ? 'validation_failed' : 'internal_error');
  const detail = builtIn.status < 500 ? builtIn.message : 'An unexpected error occurred.';
  return catalogueProblem(code, detail, { cause: error });
}

/** Maps the user service's own errors to problems; everything else falls through. */
export function mapUserError(error: unknown): HttpProblem | undefined {
  if (isEmailTakenError(error)) {
    return catalogueProblem('email_taken', 'A user with this email already exists.', { cause: error });
  }
  if (isInvalidCursorError(error)) {
    return catalogueProblem('invalid_cursor', error.message, { cause: error });
  }
  return withinCatalogue(error);
}
