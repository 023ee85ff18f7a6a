/**
 * An AbortSignal that fires when its parent fires (with the parent's reason) or after
 * `timeoutMs` (with `timeoutReason()`), whichever is first. `dispose()` releases the timer and
 * the parent listener, so a finished request leaves nothing behind.
 */
export class AbortScope {
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onParentAbort = (): void => this.#controller.abort(this.#parent?.reason);
  #timedOut = false;

  constructor(parent: AbortSignal | undefined, timeoutMs: number, timeoutReason: () => unknown) {
    this.#parent = parent;
    if (parent?.aborted) {
      this.#controller.abort(parent.reason);
      return;
    }
    parent?.addEventListener('abort', this.#onParentAbort, { once: true });
    this.#timer = setTimeout(
      () => {
        this.#timedOut = true;
        this.#controller.abort(timeoutReason());
      },
      Math.max(0, timeoutMs),
    );
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True when this scope's own timeout fired (not the parent). */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
