import { brandError, errorBrand, hasBrand } from '@shipshape/service-kit';

const brand = '@shipshape/order-service/LookupDeadlineError';

/**
 * The inbound request's deadline left the user lookup too little time, or ran out during it. The
 * caller chose that deadline, so this is its 504 `deadline_exceeded` — never the upstream's
 * `upstream_unavailable` — and the user client's breaker does not count it.
 */
export class LookupDeadlineError extends Error {
  /** Stable machine-readable code (see the error catalogue). */
  readonly code = 'deadline_exceeded' as const;
  /** The lookup's budget, in ms (what the inbound deadline left for it). */
  readonly budgetMs: number;
  declare readonly [errorBrand]: string;

  constructor(budgetMs: number, options: { cause?: unknown } = {}) {
    super(`the request deadline left ${budgetMs} ms for the user lookup and it ran out`, options);
    this.name = 'LookupDeadlineError';
    this.budgetMs = budgetMs;
    brandError(this, brand);
  }
}

/** True for a {@link LookupDeadlineError}, also one created by another copy of this module. */
export function isLookupDeadlineError(value: unknown): value is LookupDeadlineError {
  return hasBrand(value, brand);
}
