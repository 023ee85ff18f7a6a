import { TimeoutError } from '../../errors/timeout-error.ts';
import { Emitter, type Subscribe } from '../common/emitter.ts';
import { contextFor, invoke, neverAborted, type Invocable } from '../common/invoke.ts';
import type { ExecuteContext, ExecuteFn, Policy } from '../common/policy.ts';
import { requireNumber } from '../common/validate.ts';

/** Options of {@link Timeout}. */
export interface TimeoutOptions {
  /** Time limit per call, in ms (> 0). */
  timeoutMs: number;
  /** Name in events, errors and metric labels. @default 'timeout' */
  name?: string;
  /**
   * Reject with {@link TimeoutError} the moment the time is up, without waiting for `fn` to
   * settle (its late result is dropped). Cooperative otherwise: the signal aborts and the policy
   * waits for `fn` to react. Use aggressive only around code that cannot take a signal: the
   * abandoned work keeps running. @default false
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
 * Limits how long a call may run. The call receives a signal that aborts, with a
 * {@link TimeoutError} as its reason, when the time is up or when the caller's own signal
 * aborts. Every timer and listener is removed when the call settles, so nothing outlives it.
 */
export class Timeout implements Policy, Invocable {
  readonly name: string;
  /** Time limit per call, in ms. */
  readonly timeoutMs: number;
  readonly #aggressive: boolean;
  readonly #timeout = new Emitter<TimeoutEvent>();

  /** When a call's time is up (before the call settles). */
  readonly onTimeout: Subscribe<TimeoutEvent> = this.#timeout.subscribe;

  constructor(options: TimeoutOptions) {
    const o = { ...defaults, ...options };
    requireNumber('timeoutMs', o.timeoutMs, Number.MIN_VALUE);
    this.name = o.name;
    this.timeoutMs = o.timeoutMs;
    this.#aggressive = o.aggressive;
  }

  execute<T>(fn: ExecuteFn<T>, signal?: AbortSignal): Promise<T> {
    return this[invoke](fn, contextFor(signal));
  }

  async [invoke]<T>(fn: ExecuteFn<T>, context: ExecuteContext): Promise<T> {
    const parent = context.signal;
    if (parent.aborted) throw parent.reason;
    const controller = new AbortController();
    let timedOut: TimeoutError | undefined;
    let expire: ((error: TimeoutError) => void) | undefined;
    const timer = setTimeout(() => {
      timedOut = new TimeoutError(this.name, this.timeoutMs);
      if (this.#timeout.active) this.#timeout.emit({ name: this.name, timeoutMs: this.timeoutMs });
      controller.abort(timedOut);
      expire?.(timedOut);
    }, this.timeoutMs);
    const onParentAbort = (): void => controller.abort(parent.reason);
    if (parent !== neverAborted) parent.addEventListener('abort', onParentAbort);
    try {
      const work = fn({ signal: controller.signal, attempt: context.attempt });
      if (!this.#aggressive || !(work instanceof Promise)) return await work;
      // Aggressive: whichever settles first wins; the late loser must not surface as unhandled.
      work.catch(noop);
      return await new Promise<T>((resolve, reject) => {
        expire = reject;
        work.then(resolve, reject);
      });
    } catch (error) {
      // A cooperative fn usually rejects with the abort reason or its own AbortError: report
      // both as this policy's timeout, keeping fn's error as the cause.
      if (timedOut !== undefined && error !== timedOut) {
        throw new TimeoutError(this.name, this.timeoutMs, { cause: error });
      }
      throw error;
    } finally {
      clearTimeout(timer);
      if (parent !== neverAborted) parent.removeEventListener('abort', onParentAbort);
    }
  }
}

function noop(): void {}
