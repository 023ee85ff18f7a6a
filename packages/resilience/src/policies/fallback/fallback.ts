import { Emitter } from '../common/emitter.ts';
import { execute, passOn, type Outcome, type Settler } from '../common/executor.ts';
import { contextFor, invoke, type Invocable } from '../common/invoke.ts';
import type { Disposable, ExecuteContext, ExecuteFn, Policy } from '../common/policy.ts';
import { reasonOf } from '../common/reason.ts';

/** The failure a fallback replaces: the thrown error, or the result judged a failure. */
export type FallbackFailure = { readonly error: unknown } | { readonly result: unknown };

/** Options of {@link Fallback}. */
export interface FallbackOptions<R> {
  /**
   * The replacement: a value, or a function of the failure (and the call's context) returning
   * one. To fall back to a function value, return it from a function.
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
 * Outermost in a pipeline, so it also covers rejections of the policies inside it. A fallback
 * function that throws makes the call fail with that error.
 */
export class Fallback<R> implements Policy<R>, Invocable<R> {
  readonly name: string;
  /** Type-only marker of the replacement type, read by `wrap`'s result type; never set. */
  declare readonly alternative?: R;
  readonly #settler: Settler<ExecuteContext>;
  #fallbacks: Emitter<FallbackEvent> | undefined;

  constructor(options: FallbackOptions<R>) {
    this.name = options.name ?? 'fallback';
    const fallback = options.fallback;
    this.#settler = {
      classifier: { failedError: options.handles ?? always, failedResult: options.handlesResult ?? never },
      settle: <T>(outcome: Outcome, context: ExecuteContext): T => {
        if (!outcome.failed) return passOn(outcome);
        if (this.#fallbacks?.active) this.#fallbacks.emit({ name: this.name, reason: reasonOf(outcome) });
        if (typeof fallback !== 'function') return fallback as unknown as T;
        const failure: FallbackFailure = outcome.threw
          ? { error: outcome.result }
          : { result: outcome.result };
        const replace = fallback as (failure: FallbackFailure, context: ExecuteContext) => R | Promise<R>;
        return replace(failure, context) as unknown as T;
      },
      shareHandlers: false,
      shared: undefined,
    };
  }

  /** Every time the fallback replaced a failure. */
  onFallback(listener: (event: FallbackEvent) => void): Disposable {
    return (this.#fallbacks ??= new Emitter()).subscribe(listener);
  }

  /** Runs `fn`, replacing chosen failures with the fallback. */
  execute<T>(fn: ExecuteFn<T>, signal?: AbortSignal): Promise<T | R> {
    return this[invoke](fn, contextFor(signal));
  }

  /** Internal entry point used by `wrap`: takes the caller's whole context. */
  [invoke]<T>(fn: ExecuteFn<T>, context: ExecuteContext): Promise<T | R> {
    return execute<T | R, ExecuteContext>(fn, context, this.#settler, context, undefined);
  }
}
