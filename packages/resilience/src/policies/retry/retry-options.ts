import { isBrokenCircuitError } from '../../errors/broken-circuit-error.ts';
import { isRetryBudgetExhaustedError } from '../../errors/retry-budget-exhausted-error.ts';
import type { Backoff } from '../backoff/backoff.ts';
import { FullJitterBackoff } from '../backoff/full-jitter-backoff.ts';
import { requireInteger, requireNumber } from '../common/validate.ts';
import type { RetryBudget } from './retry-budget.ts';

/** Options of {@link Retry}. */
export interface RetryOptions {
  /** Name in events and metric labels. @default 'retry' */
  name?: string;
  /** Attempts in total, the first one included (≥ 1). @default 3 */
  maxAttempts?: number;
  /** Delay curve between attempts. @default FullJitterBackoff({ initialDelayMs: 100 }) */
  backoff?: Backoff;
  /** Upper bound of a backoff delay, in ms. @default 30_000 */
  maxDelayMs?: number;
  /**
   * Which thrown errors are retried. Never retried whatever this says: anything after the
   * caller's signal aborted.
   * @default every error except BrokenCircuitError and RetryBudgetExhaustedError
   */
  retryOn?: (error: unknown) => boolean;
  /** Which returned values are retried (e.g. a 503 response). @default none */
  retryOnResult?: (result: unknown) => boolean;
  /**
   * Longest server-guided delay honoured, in ms. A failure carrying a numeric `retryAfterMs`
   * (a parsed `Retry-After`, a rate limiter's answer) is retried no earlier than asked; when it
   * asks for more than this, the policy gives up instead of retrying early. @default 60_000
   */
  maxRetryAfterMs?: number;
  /** Shared budget every retry must be withdrawn from. @default none (only maxAttempts limits) */
  budget?: RetryBudget;
}

/** Options after defaults, validated. Internal. */
export type ResolvedRetryOptions = Required<Omit<RetryOptions, 'budget' | 'retryOnResult'>> &
  Pick<RetryOptions, 'budget' | 'retryOnResult'>;

const defaults = {
  name: 'retry',
  maxAttempts: 3,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  // Retrying into an open breaker or a spent budget only adds load the other policy refused.
  retryOn: (error: unknown): boolean => !isBrokenCircuitError(error) && !isRetryBudgetExhaustedError(error),
};

/** Applies defaults and validates once, at construction. */
export function resolveRetryOptions(options: RetryOptions): ResolvedRetryOptions {
  const o = { ...defaults, ...options, backoff: options.backoff ?? new FullJitterBackoff() };
  requireInteger('maxAttempts', o.maxAttempts, 1);
  requireNumber('maxDelayMs', o.maxDelayMs, 0);
  requireNumber('maxRetryAfterMs', o.maxRetryAfterMs, 0);
  return o;
}
