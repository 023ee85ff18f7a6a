import { brandError, errorBrand, hasBrand } from '@shipshape/service-kit';

const brand = '@shipshape/order-service/UserServiceUnavailableError';

/**
 * Why the user service gave no usable answer:
 * - `circuit_open`: every endpoint's breaker is open, nothing was sent;
 * - `no_endpoints`: the endpoint list is empty (DNS returned no address yet);
 * - `connection_failed`: transport failures (refused, reset) on every allowed attempt;
 * - `client_closed`: the process is shutting down;
 * - `timeout`: the attempts ran out of time;
 * - `http_error`: 5xx answers after the allowed retries;
 * - `rate_limited`: the upstream answered 429;
 * - `bulkhead_full`: too many calls to the upstream in flight from this replica;
 * - `concurrency_limited`: the adaptive concurrency limit towards the upstream is reached;
 * - `unexpected_status`: an answer the caller has no meaning for (a 400 or 401, say).
 */
export type UserServiceUnavailableReason =
  | 'circuit_open'
  | 'no_endpoints'
  | 'connection_failed'
  | 'client_closed'
  | 'timeout'
  | 'http_error'
  | 'rate_limited'
  | 'bulkhead_full'
  | 'concurrency_limited'
  | 'unexpected_status';

/**
 * The user service, which `POST /orders` needs, gave no usable answer. The order service's own
 * error, distinct from the resilience client's `UpstreamUnavailableError` (which says only that
 * no endpoint could be reached, and is one of the causes of this one). The HTTP layer answers
 * 503 `upstream_unavailable` (the contract's code) with `Retry-After` = `retryAfterMs` rounded
 * up to seconds. The message names the upstream and the reason, never a host (logs only).
 */
export class UserServiceUnavailableError extends Error {
  /** Stable machine-readable code (see the error catalogue). */
  readonly code = 'upstream_unavailable' as const;
  /** The logical upstream name (`user`). */
  readonly upstream: string;
  readonly reason: UserServiceUnavailableReason;
  /** When a retry may succeed, in ms: until the first breaker half-opens, else 1000. */
  readonly retryAfterMs: number;
  declare readonly [errorBrand]: string;

  constructor(
    upstream: string,
    reason: UserServiceUnavailableReason,
    options: { cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(`upstream ${upstream} unavailable: ${reason}`, { cause: options.cause });
    this.name = 'UserServiceUnavailableError';
    this.upstream = upstream;
    this.reason = reason;
    this.retryAfterMs = options.retryAfterMs ?? 1_000;
    brandError(this, brand);
  }
}

/** True for an {@link UserServiceUnavailableError}, also one created by another copy of this module. */
export function isUserServiceUnavailableError(value: unknown): value is UserServiceUnavailableError {
  return hasBrand(value, brand);
}
