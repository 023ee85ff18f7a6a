/**
 * What an attempt fails with when the caller cancelled: lets the endpoint's breaker tell a
 * cancellation (not the endpoint's fault) from a failure. The client rethrows the caller's
 * own reason, never this wrapper.
 */
export class CancelledByCaller extends Error {
  override readonly name = 'CancelledByCaller';
}

/**
 * The cancellation handle of one attempt: fires when the caller's signal fires or when its
 * timeout is due (checked by a {@link TimeoutSweeper}), whichever is first.
 *
 * It is deliberately not an AbortSignal with a timer per attempt: an AbortController, its
 * EventTarget listeners and a setTimeout/clearTimeout pair per attempt measurably slowed every
 * request (bench/client.bench.ts). One `abort` listener at a time (the attempt's response
 * collector) is all it needs.
 */
export class AttemptCancel {
  /** Why the attempt was cancelled; `undefined` while it was not. */
  reason: Error | undefined = undefined;
  /** `performance.now()` time at which the attempt times out. */
  readonly dueAt: number;
  #listener: (() => void) | undefined;
  readonly #parent: AbortSignal | undefined;
  readonly #timeoutReason: () => Error;
  readonly #sweeper: TimeoutSweeper;
  readonly #onParentAbort = (): void => this.#fire(new CancelledByCaller('cancelled by the caller'));
  #timedOut = false;
  #superseded = false;

  constructor(
    sweeper: TimeoutSweeper,
    parent: AbortSignal | undefined,
    timeoutMs: number,
    timeoutReason: () => Error,
  ) {
    this.#sweeper = sweeper;
    this.#parent = parent;
    this.#timeoutReason = timeoutReason;
    this.dueAt = performance.now() + timeoutMs;
    if (parent?.aborted) {
      this.reason = new CancelledByCaller('cancelled by the caller');
      return;
    }
    parent?.addEventListener('abort', this.#onParentAbort, { once: true });
    sweeper.add(this);
  }

  /** True when this attempt's own timeout fired. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** True when {@link supersede} cancelled this attempt (another hedged attempt won). */
  get superseded(): boolean {
    return this.#superseded;
  }

  /**
   * Cancels the attempt because another hedged attempt of the same call answered first. Like a
   * caller's cancellation, it is not the endpoint's fault.
   */
  supersede(): void {
    if (this.reason !== undefined) return;
    this.#superseded = true;
    this.#fire(new CancelledByCaller('superseded by another hedged attempt'));
  }

  /** Emitter protocol used by undici: one `abort` listener at a time. */
  once(_event: 'abort', listener: () => void): this {
    this.#listener = listener;
    return this;
  }

  /** Same as `once`; some callers subscribe with `on`. */
  on(event: 'abort', listener: () => void): this {
    return this.once(event, listener);
  }

  removeListener(_event: 'abort', listener: () => void): this {
    if (this.#listener === listener) this.#listener = undefined;
    return this;
  }

  /** Called by the sweeper once `dueAt` has passed. */
  timeOut(): void {
    this.#timedOut = true;
    this.#fire(this.#timeoutReason());
  }

  /** Stops watching the timeout and the caller's signal. */
  dispose(): void {
    this.#sweeper.delete(this);
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }

  #fire(reason: Error): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.dispose();
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.();
  }
}

/**
 * One interval timer per client that times out every attempt whose `dueAt` passed, instead of
 * a setTimeout/clearTimeout pair per attempt. Runs only while attempts are pending; timeouts
 * fire at most `resolutionMs` late.
 */
export class TimeoutSweeper {
  readonly #pending = new Set<AttemptCancel>();
  readonly #resolutionMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(resolutionMs: number) {
    this.#resolutionMs = resolutionMs;
  }

  add(cancel: AttemptCancel): void {
    this.#pending.add(cancel);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#sweep(), this.#resolutionMs);
      // Pending attempts keep their sockets, and so the process, alive; the timer need not.
      this.#timer.unref();
    }
  }

  delete(cancel: AttemptCancel): void {
    this.#pending.delete(cancel);
  }

  #sweep(): void {
    const now = performance.now();
    for (const cancel of this.#pending) if (cancel.dueAt <= now) cancel.timeOut();
    if (this.#pending.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}

/**
 * An AbortSignal that fires when its parent fires or after `timeoutMs`. Used only where an
 * AbortSignal is required (waiting in a full bulkhead).
 */
export class AbortScope {
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onParentAbort = (): void => this.#controller.abort(this.#parent?.reason);

  constructor(parent: AbortSignal | undefined, timeoutMs: number, timeoutReason: () => unknown) {
    this.#parent = parent;
    if (parent?.aborted) {
      this.#controller.abort(parent.reason);
      return;
    }
    parent?.addEventListener('abort', this.#onParentAbort, { once: true });
    this.#timer = setTimeout(() => this.#controller.abort(timeoutReason()), Math.max(0, timeoutMs));
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }
}
