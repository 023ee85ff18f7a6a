import { errorBrand, hasBrand } from './brand.ts';

const brand = 'ConcurrencyLimitExceededError';

/**
 * Thrown by an adaptive concurrency limiter that is at its limit: the call was not attempted.
 * Services answer it with 503 and `Retry-After` (the call is shed before a queue forms).
 */
export class ConcurrencyLimitExceededError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'concurrency_limited' as const;
  /** Name of the limiter that refused the call. */
  readonly limiter: string;
  /** The limit in force when the call was refused (calls in flight at once). */
  readonly limit: number;
  /** Milliseconds after which a new call is worth trying. */
  readonly retryAfterMs: number;
  declare readonly [errorBrand]: string;

  constructor(limiter: string, limit: number, retryAfterMs: number) {
    super(`concurrency limit "${limiter}" reached (${limit} in flight); call not attempted`);
    this.name = 'ConcurrencyLimitExceededError';
    this.limiter = limiter;
    this.limit = limit;
    this.retryAfterMs = retryAfterMs;
    Object.defineProperty(this, errorBrand, { value: brand });
  }
}

/** True for a {@link ConcurrencyLimitExceededError}, also one created by another copy of this package. */
export function isConcurrencyLimitExceededError(value: unknown): value is ConcurrencyLimitExceededError {
  return hasBrand(value, brand);
}
