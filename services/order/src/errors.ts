/**
 * The order service's error catalogue: every stable `code` it can answer, with its HTTP status
 * and title. The HTTP layer turns an error into RFC 9457 problem+json only through this table,
 * and a test checks that the README documents every entry (the fastify habit). The builder and
 * the problem document shape are shared by the services (`@shipshape/service-kit`).
 */
import {
  defineErrorCatalogue,
  securityErrorEntries,
  type Problem as KitProblem,
} from '@shipshape/service-kit';

export {
  problemType,
  problemTypeBase,
  type ErrorEntry,
  type ProblemFieldError,
} from '@shipshape/service-kit';

/**
 * The catalogue keyed by code (`errorCatalogue`), every code in table order (`errorCodes`), and
 * `problem(code, detail, errors?)`, which builds the problem document for a code; `detail` must
 * never contain internals (stacks, hosts).
 */
export const {
  entries: errorCatalogue,
  codes: errorCodes,
  problem,
} = defineErrorCatalogue({
  validation_failed: { status: 400, title: 'Request validation failed' },
  malformed_json: { status: 400, title: 'Malformed JSON body' },
  ...securityErrorEntries,
  not_found: { status: 404, title: 'Resource not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  invalid_status_transition: { status: 409, title: 'Order status does not allow this transition' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key reused with a different body' },
  unknown_user: { status: 422, title: 'Unknown user' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  upstream_unavailable: { status: 503, title: 'Upstream service unavailable' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  payments_backlogged: { status: 503, title: 'Payments are behind; orders are not accepted now' },
  deadline_exceeded: { status: 504, title: 'Request deadline exceeded' },
});

/** Every code this service can answer. */
export type ErrorCode = (typeof errorCodes)[number];

/** An RFC 9457 problem document as this service answers it. */
export type Problem = KitProblem<ErrorCode>;
