import { HttpProblem } from './http-problem.ts';
import type { HttpProblemOptions } from './http-problem.ts';

/**
 * The problems this package answers by itself, with their status and title. A service's own
 * error catalogue should list these codes too, since its clients will see them.
 */
export const STANDARD_PROBLEMS = {
  malformed_json: { status: 400, title: 'Malformed JSON body' },
  malformed_request: { status: 400, title: 'Malformed request' },
  validation_failed: { status: 400, title: 'Request validation failed' },
  not_found: { status: 404, title: 'Resource not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  deadline_exceeded: { status: 504, title: 'Request deadline exceeded' },
} as const satisfies Record<string, { status: number; title: string }>;

/** A code of {@link STANDARD_PROBLEMS}. */
export type StandardProblemCode = keyof typeof STANDARD_PROBLEMS;

/** An {@link HttpProblem} for a standard code, with this occurrence's detail. */
export function standardProblem(
  code: StandardProblemCode,
  detail: string,
  extra: Pick<HttpProblemOptions, 'errors' | 'headers' | 'cause'> = {},
): HttpProblem {
  return new HttpProblem({ ...STANDARD_PROBLEMS[code], code, detail, ...extra });
}
