import type { ExecuteContext, ExecuteFn } from './policy.ts';

/**
 * How a policy tells failures from successes. Errors and results are both classified: an HTTP
 * 503 response is a failure result, a validation error thrown for a 4xx may not be a failure.
 */
export interface Classifier {
  /** True when a thrown error counts as a failure for this policy. */
  failedError(error: unknown): boolean;
  /** True when a returned value counts as a failure for this policy. */
  failedResult(value: unknown): boolean;
}

/** The result of one run of a function: what it produced, and how the policy classifies it. */
export interface Outcome<T> {
  /** True when the function threw or its promise rejected. */
  readonly threw: boolean;
  /** True when the classifier counts this outcome as a failure. */
  readonly failed: boolean;
  /** The returned value when the function did not throw. */
  readonly value: T | undefined;
  /** The thrown error when the function threw. */
  readonly error: unknown;
  /** Clock reading when the function settled; 0 when the run was not timed. */
  readonly finishedAt: number;
  /** Run time in ms (never negative, even if the clock went backwards); 0 when not timed. */
  readonly durationMs: number;
}

/**
 * The one run–time–classify step every policy shares (cockatiel keeps it in
 * `src/common/Executor.ts`), so each policy file holds only its own state machine. The clock is
 * read only when the policy asks for timing (`now` given): a breaker without a slow-call rule, a
 * time window or duration listeners never reads it on the hot path.
 *
 * Internal: not exported from the package.
 */
export async function runAttempt<T>(
  fn: ExecuteFn<T>,
  context: ExecuteContext,
  classifier: Classifier,
  now: (() => number) | undefined,
): Promise<Outcome<T>> {
  const startedAt = now === undefined ? 0 : now();
  try {
    const value = await fn(context);
    const finishedAt = now === undefined ? 0 : now();
    return {
      threw: false,
      failed: classifier.failedResult(value),
      value,
      error: undefined,
      finishedAt,
      durationMs: finishedAt > startedAt ? finishedAt - startedAt : 0,
    };
  } catch (error) {
    const finishedAt = now === undefined ? 0 : now();
    return {
      threw: true,
      failed: classifier.failedError(error),
      value: undefined,
      error,
      finishedAt,
      durationMs: finishedAt > startedAt ? finishedAt - startedAt : 0,
    };
  }
}

/** Returns the outcome's value, or throws its error: what the caller of the policy sees. */
export function settle<T>(outcome: Outcome<T>): T {
  if (outcome.threw) throw outcome.error;
  return outcome.value as T;
}
