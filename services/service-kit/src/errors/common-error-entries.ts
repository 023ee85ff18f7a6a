import { securityErrorEntries } from '../security/security-problems.ts';

/**
 * The catalogue entries every service answers, whatever its domain: what the service kit's
 * middleware writes (body parsing, routing, the inbound rate limit, the deadline, the security
 * middleware) and the generic server errors. A service spreads them into its own table and adds
 * its domain codes:
 *
 * ```ts
 * defineErrorCatalogue({ ...commonErrorEntries, email_taken: { status: 409, title: '…' } });
 * ```
 *
 * The codes and titles are part of each service's documented contract (README error tables);
 * change one here and every service's README must change with it.
 */
export const commonErrorEntries = {
  validation_failed: { status: 400, title: 'Request validation failed' },
  malformed_json: { status: 400, title: 'Malformed JSON body' },
  ...securityErrorEntries,
  not_found: { status: 404, title: 'Resource not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  deadline_exceeded: { status: 504, title: 'Request deadline exceeded' },
} as const;

/** A code of {@link commonErrorEntries}. */
export type CommonErrorEntryCode = keyof typeof commonErrorEntries;
