import { errorBrand, hasBrand } from '../../errors/brand.ts';

const brand = 'UpstreamHttpError';

/**
 * The upstream answered with a 5xx status after every allowed attempt (or a non-retryable 5xx
 * such as 500). Carries the status and the parsed body (usually an RFC 9457 problem document).
 */
export class UpstreamHttpError extends Error {
  override readonly name = 'UpstreamHttpError';
  /** Stable code: `'upstream_http_error'`. */
  readonly code = 'upstream_http_error' as const;
  /** The logical upstream name. */
  readonly service: string;
  /** The HTTP status of the last answer. */
  readonly status: number;
  /** The parsed body of the last answer (JSON problem document, text, or undefined). */
  readonly body: unknown;
  /** The endpoint (`host:port`) that gave the last answer. */
  readonly endpoint: string;
  /**
   * The wait the last answer asked for (`Retry-After`, or the `RateLimit` reset), in ms;
   * `undefined` when it carried none. Callers that retry later (a queue) should not retry sooner.
   */
  readonly retryAfterMs: number | undefined;
  readonly [errorBrand] = brand;

  constructor(service: string, status: number, body: unknown, endpoint: string, retryAfterMs?: number) {
    super(`upstream ${service} answered ${status}${problemCode(body)}`);
    this.service = service;
    this.status = status;
    this.body = body;
    this.endpoint = endpoint;
    this.retryAfterMs = retryAfterMs;
  }
}

function problemCode(body: unknown): string {
  const code = (body as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? ` (${code})` : '';
}

/** True when `value` is an {@link UpstreamHttpError} (from any copy of this package). */
export function isUpstreamHttpError(value: unknown): value is UpstreamHttpError {
  return hasBrand(value, brand);
}
