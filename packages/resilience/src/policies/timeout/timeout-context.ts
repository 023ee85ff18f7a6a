import type { TimeoutError } from '../../errors/timeout-error.ts';
import { neverAborted } from '../common/invoke.ts';
import type { ExecuteContext } from '../common/policy.ts';

/**
 * The context and bookkeeping of one call under a timeout. Its AbortSignal is created on first
 * read: a function that never looks at `signal` costs no AbortController and no listener on the
 * caller's signal. `finish()` removes the timer and the listener. Internal.
 */
export class TimeoutContext implements ExecuteContext {
  readonly attempt: number;
  readonly parent: AbortSignal;
  /** The pending timer; cleared by `finish()`. */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Set when the time is up; the reason every signal of this call aborts with. */
  timedOut: TimeoutError | undefined;
  /** Aggressive mode: rejects the caller's promise at once (on timeout or caller abort). */
  rejectEarly: ((reason: unknown) => void) | undefined;
  #done = false;
  #controller: AbortController | undefined;
  #onParentAbort: (() => void) | undefined;

  constructor(parent: AbortSignal, attempt: number) {
    this.parent = parent;
    this.attempt = attempt;
  }

  get signal(): AbortSignal {
    return (this.#controller ??= this.#link()).signal;
  }

  /** The time is up: abort the call's signal (if anyone took it) and reject early if asked. */
  expire(error: TimeoutError): void {
    this.timedOut = error;
    this.#controller?.abort(error);
    this.rejectEarly?.(error);
  }

  /** Follows the caller's signal from now on (idempotent; never after `finish()`). */
  listen(): void {
    if (this.#onParentAbort !== undefined || this.parent === neverAborted || this.#done) return;
    this.#onParentAbort = () => {
      this.#controller?.abort(this.parent.reason);
      this.rejectEarly?.(this.parent.reason);
    };
    this.parent.addEventListener('abort', this.#onParentAbort);
  }

  /** The call settled: clear the timer, drop the listener on the caller's signal. */
  finish(): void {
    this.#done = true;
    clearTimeout(this.timer);
    if (this.#onParentAbort !== undefined) this.parent.removeEventListener('abort', this.#onParentAbort);
  }

  #link(): AbortController {
    const controller = new AbortController();
    if (this.timedOut !== undefined) controller.abort(this.timedOut);
    else if (this.parent.aborted) controller.abort(this.parent.reason);
    this.#controller = controller;
    this.listen();
    return controller;
  }
}
