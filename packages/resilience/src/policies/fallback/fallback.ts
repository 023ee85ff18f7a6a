import { Emitter, type Subscribe } from '../common/emitter.ts';
import { runAttempt, settle, type Classifier, type Outcome } from '../common/executor.ts';
import { contextFor, invoke, type Invocable } from '../common/invoke.ts';
import { reasonOf } from '../common/reason.ts';
import type { ExecuteContext, ExecuteFn, Policy } from '../common/policy.ts';

/** The failure a fallback replaces: the thrown error, or the result judged a failure. */
export type FallbackFailure = { readonly error: unknown } | { readonly result: unknown };

/** Options of {@link Fallback}. */
export interface FallbackOptions<R> {
  /**
   * The replacement: a value, or a function of the failure (and the call's context) returning
   * one. A function that throws makes the call fail with that error.
   */
  fallback: R | ((failure: FallbackFailure, context: ExecuteContext) => R | Promise<R>);
  /** Which thrown errors are replaced. @default every error */
  handles?: (error: unknown) => boolean;
  /** Which returned values are replaced. @default none */
  handlesResult?: (result: unknown) => boolean;
  /** Name in events. @default 'fallback' */
  name?: string;
}

/** Payload of {@link Fallback.onFallback}; `reason` is a bounded token, as in retry events. */
export interface FallbackEvent {
  readonly name: string;
  readonly reason: string;
}

const always = (): boolean => true;
const never = (): boolean => false;

/**
 * Replaces chosen failures with a value: a cached answer, an empty list, a degraded response.
 * Outermost in a pipeline, so it also covers rejections of the policies inside it.
 */
export class Fallback<R> implements Policy<R>, Invocable<R> {
  readonly name: string;
  /** Type-only marker of the replacement type, read by `wrap`'s result type; never set. */
  declare readonly alternative?: R;
  readonly #fallback: FallbackOptions<R>['fallback'];
  readonly #classifier: Classifier;
  readonly #emitter = new Emitter<FallbackEvent>();

  /** Every time the fallback replaced a failure. */
  readonly onFallback: Subscribe<FallbackEvent> = this.#emitter.subscribe;

  constructor(options: FallbackOptions<R>) {
    this.name = options.name ?? 'fallback';
    this.#fallback = options.fallback;
    this.#classifier = {
      failedError: options.handles ?? always,
      failedResult: options.handlesResult ?? never,
    };
  }

  execute<T>(fn: ExecuteFn<T>, signal?: AbortSignal): Promise<T | R> {
    return this[invoke](fn, contextFor(signal));
  }

  async [invoke]<T>(fn: ExecuteFn<T>, context: ExecuteContext): Promise<T | R> {
    const outcome: Outcome<T> = await runAttempt(fn, context, this.#classifier, undefined);
    if (!outcome.failed) return settle(outcome);
    if (this.#emitter.active) this.#emitter.emit({ name: this.name, reason: reasonOf(outcome) });
    const fallback = this.#fallback;
    if (typeof fallback !== 'function') return fallback;
    const failure: FallbackFailure = outcome.threw ? { error: outcome.error } : { result: outcome.value };
    return (fallback as (failure: FallbackFailure, context: ExecuteContext) => R | Promise<R>)(
      failure,
      context,
    );
  }
}
