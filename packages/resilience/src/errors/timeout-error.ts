import { errorBrand, hasBrand } from './brand.ts';

const brand = 'TimeoutError';

/**
 * Thrown by a timeout policy when the call outlived its time. It is also the `reason` of the
 * AbortSignal the call received, so code that checks `signal.reason` sees the same error.
 */
export class TimeoutError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'timeout' as const;
  /** Name of the timeout policy that fired. */
  readonly policy: string;
  /** The time limit that elapsed, in ms. */
  readonly timeoutMs: number;
  declare readonly [errorBrand]: string;

  constructor(policy: string, timeoutMs: number, options?: ErrorOptions) {
    super(`"${policy}" timed out after ${timeoutMs} ms`, options);
    this.name = 'TimeoutError';
    this.policy = policy;
    this.timeoutMs = timeoutMs;
    Object.defineProperty(this, errorBrand, { value: brand });
  }
}

/** True for a {@link TimeoutError}, also one created by another copy of this package. */
export function isTimeoutError(value: unknown): value is TimeoutError {
  return hasBrand(value, brand);
}
