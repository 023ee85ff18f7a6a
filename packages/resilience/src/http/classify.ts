/** Methods that are safe to send twice (RFC 9110 §9.2.2). */
const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** Statuses worth another attempt: overload and gateway failures, and rate limiting. */
const retryableStatuses = new Set([429, 502, 503, 504]);

/**
 * The upstream's certificate was refused during the TLS handshake (untrusted CA, wrong identity,
 * expired): no request was sent. Another endpoint may hold a good certificate (one replica with a
 * botched rotation), so these count like a refused connection: retried elsewhere, and against
 * the endpoint's health.
 */
const tlsRefusedCodes = [
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_PURPOSE',
];

/**
 * Transport errors where the upstream cannot have received the request (no connection was
 * made), so even a non-idempotent request may be sent again.
 */
const notSentCodes = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  ...tlsRefusedCodes,
]);

/** Transport errors after which an idempotent request may be retried. */
const transportCodes = new Set([
  ...notSentCodes,
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'HPE_INVALID_EOF_STATE',
]);

/** True when `method` may be retried without an idempotency key. */
export function isIdempotentMethod(method: string): boolean {
  return idempotentMethods.has(method);
}

/** True when an answer with `status` may be retried (for a request that allows retries). */
export function isRetryableStatus(status: number): boolean {
  return retryableStatuses.has(status);
}

/** True when an answer with `status` counts against the endpoint's health. */
export function isFailureStatus(status: number): boolean {
  return status >= 500;
}

/** The `code` of an error (Node and undici errors carry one), or undefined. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown } | null | undefined)?.cause;
  const causeCode = (cause as { code?: unknown } | null | undefined)?.code;
  return typeof causeCode === 'string' ? causeCode : undefined;
}

/** True for a transport failure (refused, reset, closed socket, …). */
export function isTransportError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && transportCodes.has(code);
}

/** True when the request cannot have reached the upstream. */
export function isNotSentError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && notSentCodes.has(code);
}
