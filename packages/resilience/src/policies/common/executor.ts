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

/** How one run of `fn` ended, as handed to {@link Settler.settle}. */
export interface Outcome {
  /** True when `fn` threw or its promise rejected. */
  readonly threw: boolean;
  /** True when the classifier counts this outcome as a failure. */
  readonly failed: boolean;
  /** The thrown error when `threw`, else the returned value. */
  readonly result: unknown;
  /** Run time in ms (never negative, even if the clock went backwards); 0 when not timed. */
  readonly durationMs: number;
  /** Clock reading when `fn` settled; 0 when not timed. */
  readonly finishedAt: number;
}

/**
 * The policy side of {@link execute}: its state machine. `settle` sees the classified outcome
 * and decides what the caller gets — the value, a thrown error, a replacement, or a promise of
 * another attempt. `token` is the per-call state the policy passed to `execute`.
 */
export interface Settler<S> {
  readonly classifier: Classifier;
  settle<T>(outcome: Outcome, fn: ExecuteFn<T>, context: ExecuteContext, token: S): T | Promise<T>;
}

/**
 * The one run–time–classify–settle step every classifying policy shares (cockatiel keeps it in
 * `src/common/Executor.ts`), so each policy file holds only its own state machine.
 *
 * Written with `then` rather than as an async function on purpose: an async frame costs a
 * generator-like frame, an extra promise and microtasks on every call, about twice what one
 * `then` costs, and policies are stacked several deep on hot paths. A function that returns
 * synchronously is settled synchronously. The clock is read only when the policy asks for
 * timing (`now` given). Internal: not exported from the package.
 */
export function execute<T, S>(
  fn: ExecuteFn<T>,
  context: ExecuteContext,
  settler: Settler<S>,
  token: S,
  now: (() => number) | undefined,
): Promise<T> {
  const startedAt = now === undefined ? 0 : now();
  let work: T | Promise<T>;
  try {
    work = fn(context);
  } catch (error) {
    return settleNow(settler, true, error, startedAt, now, fn, context, token);
  }
  if (work instanceof Promise || isThenable(work)) {
    return (work instanceof Promise ? work : Promise.resolve(work)).then(
      (value: T) => settle(settler, false, value, startedAt, now, fn, context, token),
      (error: unknown) => settle(settler, true, error, startedAt, now, fn, context, token),
    );
  }
  return settleNow(settler, false, work, startedAt, now, fn, context, token);
}

/** Times and classifies an outcome, then lets the policy's state machine decide. */
function settle<T, S>(
  settler: Settler<S>,
  threw: boolean,
  result: unknown,
  startedAt: number,
  now: (() => number) | undefined,
  fn: ExecuteFn<T>,
  context: ExecuteContext,
  token: S,
): T | Promise<T> {
  const finishedAt = now === undefined ? 0 : now();
  const failed = threw ? settler.classifier.failedError(result) : settler.classifier.failedResult(result);
  const durationMs = finishedAt > startedAt ? finishedAt - startedAt : 0;
  return settler.settle({ threw, failed, result, durationMs, finishedAt }, fn, context, token);
}

/** {@link settle} for a synchronous outcome; a throw from the policy becomes a rejection. */
function settleNow<T, S>(
  settler: Settler<S>,
  threw: boolean,
  result: unknown,
  startedAt: number,
  now: (() => number) | undefined,
  fn: ExecuteFn<T>,
  context: ExecuteContext,
  token: S,
): Promise<T> {
  try {
    return Promise.resolve(settle(settler, threw, result, startedAt, now, fn, context, token));
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rethrowing whatever was thrown, unchanged
    return Promise.reject(error);
  }
}

/** A promise-like from another library or realm, which `instanceof Promise` misses. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** What the caller sees when the policy passes an outcome on unchanged. */
export function passOn<T>(outcome: Outcome): T {
  if (outcome.threw) throw outcome.result;
  return outcome.result as T;
}
