import type { HttpProblem } from '@shipshape/observability/http';
import { catalogueProblems } from '@shipshape/service-kit';
import { isEmailTakenError } from '../errors/email-taken-error.ts';
import { isInvalidCursorError } from '../errors/invalid-cursor-error.ts';
import { errorCatalogue } from '../errors.ts';

/**
 * `catalogueProblem(code, detail, extra?)` builds a problem for a code of this service's
 * catalogue; `withinCatalogue` keeps every other answer inside it; `injectedFault` is the
 * answer of `chaos.errorRate` (see the service kit).
 */
export const { catalogueProblem, withinCatalogue, injectedFault } = catalogueProblems(errorCatalogue);

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
