/**
 * The payment service's error catalogue: every stable `code` it can answer, with its HTTP status
 * and title. The HTTP layer turns an error into RFC 9457 problem+json only through this table,
 * and a test checks that the README documents every entry (the fastify habit). The builder, the
 * problem document shape and the entries every service answers (`commonErrorEntries`) are
 * shared by the services (`@shipshape/service-kit`).
 */
import { commonErrorEntries, defineErrorCatalogue, type Problem as KitProblem } from '@shipshape/service-kit';

/** This service's codes: the kit's `commonErrorEntries` and its own. */
const catalogue = defineErrorCatalogue({
  ...commonErrorEntries,
  missing_idempotency_key: { status: 400, title: 'Idempotency-Key header required' },
  idempotency_key_in_progress: { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key reused with a different body' },
  processor_unavailable: { status: 503, title: 'Payment processor unavailable' },
});

/**
 * The catalogue keyed by code (`errorCatalogue`), every code in table order (`errorCodes`), and
 * `problem(code, detail, errors?)`, which builds the problem document for a code; `detail` must
 * never contain internals (stacks, hosts).
 */
export const { entries: errorCatalogue, codes: errorCodes, problem } = catalogue;

/** Every code this service can answer. */
export type ErrorCode = (typeof errorCodes)[number];

/** An RFC 9457 problem document as this service answers it. */
export type Problem = KitProblem<ErrorCode>;
