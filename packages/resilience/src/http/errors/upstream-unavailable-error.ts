import { errorBrand, hasBrand } from '../../errors/brand.ts';

const brand = 'UpstreamUnavailableError';

/**
 * Why no answer could be obtained from the upstream:
 * - `circuit_open`: every endpoint's circuit breaker is open (nothing was sent);
 * - `no_endpoints`: the endpoint list is empty (e.g. DNS returned no address yet);
 * - `connection_failed`: the last attempt failed at the transport level (refused, reset, …);
 * - `client_closed`: `close()` was called on the client.
 */
export type UpstreamUnavailableReason =
  'circuit_open' | 'no_endpoints' | 'connection_failed' | 'client_closed';

/**
 * The upstream could not be reached: breakers open, no endpoint, or transport failures after
 * every allowed attempt. Services map it to `503 upstream_unavailable` with `Retry-After`.
 */
export class UpstreamUnavailableError extends Error {
  override readonly name = 'UpstreamUnavailableError';
  /** Stable code: `'upstream_unavailable'`. */
  readonly code = 'upstream_unavailable' as const;
  /** The logical upstream name (`service` option of the client). */
  readonly service: string;
  /** Why the upstream is unavailable. */
  readonly reason: UpstreamUnavailableReason;
  /**
   * A hint for how long callers should wait before trying again, in ms (for a `Retry-After`
   * header): the time until the earliest breaker may half-open, else 1000.
   */
  readonly retryAfterMs: number;
  readonly [errorBrand] = brand;

  constructor(
    service: string,
    reason: UpstreamUnavailableReason,
    options: { cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(`upstream ${service} unavailable: ${reason}`, { cause: options.cause });
    this.service = service;
    this.reason = reason;
    this.retryAfterMs = options.retryAfterMs ?? 1000;
  }
}

/** True when `value` is an {@link UpstreamUnavailableError} (from any copy of this package). */
export function isUpstreamUnavailableError(value: unknown): value is UpstreamUnavailableError {
  return hasBrand(value, brand);
}
