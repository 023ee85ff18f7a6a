import { errorBrand, hasBrand } from './brand.ts';

const brand = 'RetryBudgetExhaustedError';

/**
 * Thrown by a retry policy that would retry a failed call but whose retry budget is spent. The
 * failure that would have been retried is the `cause`.
 */
export class RetryBudgetExhaustedError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'retry_budget_exhausted' as const;
  /** Name of the retry policy that gave up. */
  readonly policy: string;
  /** Attempts made before the budget refused another one. */
  readonly attempts: number;
  declare readonly [errorBrand]: string;

  constructor(policy: string, attempts: number, cause: unknown) {
    super(`retry budget of "${policy}" exhausted after ${attempts} attempt(s)`, { cause });
    this.name = 'RetryBudgetExhaustedError';
    this.policy = policy;
    this.attempts = attempts;
    Object.defineProperty(this, errorBrand, { value: brand });
  }
}

/** True for a {@link RetryBudgetExhaustedError}, also one created by another copy of this package. */
export function isRetryBudgetExhaustedError(value: unknown): value is RetryBudgetExhaustedError {
  return hasBrand(value, brand);
}
