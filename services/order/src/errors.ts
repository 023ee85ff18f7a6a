/**
 * The order service's error catalogue: every stable `code` it can answer, with its HTTP status
 * and title. The HTTP layer turns an error into RFC 9457 problem+json only through this table,
 * and a test checks that the README documents every entry (the fastify habit).
 */

/** Base of every problem `type` URI; the code is appended. */
export const problemTypeBase = 'https://shipshape.dev/problems/';

/** One catalogue entry. */
export interface ErrorEntry {
  /** HTTP status answered for this code. */
  readonly status: number;
  /** Short, human-readable summary; the same for every occurrence of the code. */
  readonly title: string;
}

const entries = {
  validation_failed: { status: 400, title: 'Request validation failed' },
  malformed_json: { status: 400, title: 'Malformed JSON body' },
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
  deadline_exceeded: { status: 504, title: 'Request deadline exceeded' },
} as const satisfies Record<string, ErrorEntry>;

/** Every code this service can answer. */
export type ErrorCode = keyof typeof entries;

/** The catalogue, keyed by code. */
export const errorCatalogue: Readonly<Record<ErrorCode, ErrorEntry>> = entries;

/** Every code of the catalogue, in table order. */
export const errorCodes = Object.keys(entries) as ErrorCode[];

/** One field-level problem inside a validation error. */
export interface ProblemFieldError {
  /** JSON-pointer-like dotted path of the offending field (`items.0.quantity`); empty for the body. */
  readonly path: string;
  readonly message: string;
}

/** An RFC 9457 problem document as this service answers it. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ErrorCode;
  readonly errors?: readonly ProblemFieldError[];
}

/** The `type` URI of a code. */
export function problemType(code: ErrorCode): string {
  return `${problemTypeBase}${code}`;
}

/** Builds the problem document for `code`; `detail` must never contain internals (stacks, hosts). */
export function problem(code: ErrorCode, detail: string, errors?: readonly ProblemFieldError[]): Problem {
  const { status, title } = errorCatalogue[code];
  return {
    type: problemType(code),
    title,
    status,
    detail,
    code,
    ...(errors === undefined ? {} : { errors }),
  };
}
