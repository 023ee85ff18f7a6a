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
  settle<T>(outcome: Outcome, token: S): T | Promise<T>;
  /**
   * True when the token changes rarely (a breaker's epoch): untimed calls with the same token
   * then share one pair of promise handlers instead of allocating closures per call.
   */
  readonly shareHandlers: boolean;
  /** The shared handlers, kept by {@link execute}; start with `undefined`. */
  shared: SharedHandlers<S> | undefined;
}

/** Promise handlers bound to one token, reused while the token stays the same. */
export interface SharedHandlers<S> {
  readonly token: S;
  readonly onValue: (value: unknown) => unknown;
  readonly onError: (error: unknown) => unknown;
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
    return settleNow(settler, true, error, startedAt, now, token);
  }
  if (!(work instanceof Promise) && !isThenable(work))
    return settleNow(settler, false, work, startedAt, now, token);
  const promise = work instanceof Promise ? work : Promise.resolve(work);
  if (now === undefined && settler.shareHandlers) {
    let shared = settler.shared;
    if (shared === undefined || shared.token !== token)
      shared = settler.shared = shareHandlers(settler, token);
    return promise.then(shared.onValue, shared.onError) as Promise<T>;
  }
  return promise.then(
    (value: T) => settle<T, S>(settler, false, value, startedAt, now, token),
    (error: unknown) => settle<T, S>(settler, true, error, startedAt, now, token),
  );
}

function shareHandlers<S>(settler: Settler<S>, token: S): SharedHandlers<S> {
  return {
    token,
    onValue: (value) => settle(settler, false, value, 0, undefined, token),
    onError: (error) => settle(settler, true, error, 0, undefined, token),
  };
}

/** Times and classifies an outcome, then lets the policy's state machine decide. */
function settle<T, S>(
  settler: Settler<S>,
  threw: boolean,
  result: unknown,
  startedAt: number,
  now: (() => number) | undefined,
  token: S,
): T | Promise<T> {
  const finishedAt = now === undefined ? 0 : now();
  const failed = threw ? settler.classifier.failedError(result) : settler.classifier.failedResult(result);
  const durationMs = finishedAt > startedAt ? finishedAt - startedAt : 0;
  return settler.settle({ threw, failed, result, durationMs, finishedAt }, token);
}

/** {@link settle} for a synchronous outcome; a throw from the policy becomes a rejection. */
function settleNow<T, S>(
  settler: Settler<S>,
  threw: boolean,
  result: unknown,
  startedAt: number,
  now: (() => number) | undefined,
  token: S,
): Promise<T> {
  try {
    return Promise.resolve(settle<T, S>(settler, threw, result, startedAt, now, token));
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
