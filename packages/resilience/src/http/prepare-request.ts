import { isIdempotentMethod } from './classify.ts';
import type { ServiceRequest } from './request-types.ts';
import type { PreparedRequest } from './send-attempt.ts';

const tokenPattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Validates a call and assembles what every attempt sends: headers (client defaults, call
 * headers, `idempotency-key`, `x-request-id`, JSON content type) and the encoded body.
 */
export function prepareRequest(
  request: ServiceRequest,
  defaults: Readonly<Record<string, string>>,
  requestId: (() => string | undefined) | undefined,
): PreparedRequest {
  const method = (request.method ?? 'GET').toUpperCase();
  if (!tokenPattern.test(method))
    throw new RangeError(`method must be an HTTP token, got ${JSON.stringify(request.method)}`);
  if (typeof request.path !== 'string' || !request.path.startsWith('/')) {
    throw new RangeError(`path must start with "/", got ${JSON.stringify(request.path)}`);
  }
  const headers: Record<string, string> = { ...defaults };
  if (request.headers) {
    for (const [name, value] of Object.entries(request.headers))
      if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
  const id = request.requestId ?? headers['x-request-id'] ?? requestId?.();
  if (id !== undefined) headers['x-request-id'] = id;
  let body: string | Uint8Array | undefined;
  if (typeof request.body === 'string' || request.body instanceof Uint8Array) {
    body = request.body;
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  let query: Record<string, string | number | boolean> | undefined;
  if (request.query) {
    query = {};
    for (const [key, value] of Object.entries(request.query)) if (value !== undefined) query[key] = value;
  }
  const retryable = isIdempotentMethod(method) || headers['idempotency-key'] !== undefined;
  return { method, path: request.path, query, body, headers, retryable };
}

/** The same headers with lower-case names. */
export function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
