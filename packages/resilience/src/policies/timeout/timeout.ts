import { TimeoutError } from '../../errors/timeout-error.ts';
import { Emitter } from '../common/emitter.ts';
import { contextFor, invoke, type Invocable } from '../common/invoke.ts';
import type { Disposable, ExecuteContext, ExecuteFn, Policy } from '../common/policy.ts';
import { requireNumber } from '../common/validate.ts';
import { TimeoutContext } from './timeout-context.ts';

/** Options of {@link Timeout}. */
export interface TimeoutOptions {
  /** Time limit per call, in ms (> 0). */
  timeoutMs: number;
  /** Name in events, errors and metric labels. @default 'timeout' */
  name?: string;
  /**
   * Reject with {@link TimeoutError} the moment the time is up (or the caller aborts), without
   * waiting for `fn` to settle; its late result is dropped. Cooperative otherwise: the signal
   * aborts and the policy waits for `fn` to react. Use aggressive only around code that cannot
   * take a signal: the abandoned work keeps running. @default false
   */
  aggressive?: boolean;
}

/** Payload of {@link Timeout.onTimeout}. */
export interface TimeoutEvent {
  readonly name: string;
  readonly timeoutMs: number;
}

const defaults = { name: 'timeout', aggressive: false };

/**
 * Limits how long a call may run. The call's signal aborts with a {@link TimeoutError} as its
 * reason when the time is up, and follows the caller's own signal. The timer and the listener
 * are removed when the call settles, so nothing outlives it.
 *
 * A cooperative call that completes despite the abort returns its value; one that rejects after
 * the time is up rejects with TimeoutError (its own error as `cause`).
 */
export class Timeout implements Policy, Invocable {
  readonly name: string;
  /** Time limit per call, in ms. */
  readonly timeoutMs: number;
  readonly #aggressive: boolean;
  #timeouts: Emitter<TimeoutEvent> | undefined;

  constructor(options: TimeoutOptions) {
    const o = { ...defaults, ...options };
    requireNumber('timeoutMs', o.timeoutMs, Number.MIN_VALUE);
    this.name = o.name;
    this.timeoutMs = o.timeoutMs;
    this.#aggressive = o.aggressive;
  }

  /** When a call's time is up (before the call settles). */
  onTimeout(listener: (event: TimeoutEvent) => void): Disposable {
    return (this.#timeouts ??= new Emitter()).subscribe(listener);
  }

  /** Runs `fn` with a signal that aborts after `timeoutMs`. */
  execute<T>(fn: ExecuteFn<T>, signal?: AbortSignal): Promise<T> {
    return this[invoke](fn, contextFor(signal));
  }

  /** Internal entry point used by `wrap`: takes the caller's whole context. */
  [invoke]<T>(fn: ExecuteFn<T>, caller: ExecuteContext): Promise<T> {
    const parent = caller.signal;
    if (parent.aborted) return Promise.reject(parent.reason as Error);
    const context = new TimeoutContext(parent, caller.attempt);
    context.timer = setTimeout(this.#expire, this.timeoutMs, context);
    let work: T | Promise<T>;
    try {
      work = fn(context);
    } catch (error) {
      context.finish();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rethrowing what fn threw
      return Promise.reject(this.#failure(error, context));
    }
    const done = (value: T): T => {
      context.finish();
      return value;
    };
    const failed = (error: unknown): never => {
      context.finish();
      throw this.#failure(error, context);
    };
    if (!this.#aggressive || !(work instanceof Promise)) return Promise.resolve(work).then(done, failed);
    // Aggressive: whichever settles first wins; the late loser must not surface as unhandled.
    work.catch(noop);
    const raced = new Promise<T>((resolve, reject) => {
      context.rejectEarly = reject;
      context.listen();
      work.then(resolve, reject);
    });
    return raced.then(done, failed);
  }

  /**
   * What the caller sees when the call fails. A cooperative fn usually rejects with the abort
   * reason or its own AbortError after the timeout: both become this policy's TimeoutError,
   * with fn's own error as the cause.
   */
  #failure(error: unknown, context: TimeoutContext): unknown {
    const timedOut = context.timedOut;
    if (timedOut === undefined || error === timedOut) return error;
    return new TimeoutError(this.name, this.timeoutMs, { cause: error });
  }

  /** The timer callback: one per policy, the call's context passed as timer argument. */
  readonly #expire = (context: TimeoutContext): void => {
    const error = new TimeoutError(this.name, this.timeoutMs);
    if (this.#timeouts?.active) this.#timeouts.emit({ name: this.name, timeoutMs: this.timeoutMs });
    context.expire(error);
  };
}

function noop(): void {}
