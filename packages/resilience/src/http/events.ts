/** What every `onX` subscribe function returns: call `dispose()` to stop listening. */
export interface Disposable {
  dispose(): void;
}

/** A subscribe function: registers `listener` and returns its disposer. */
export type Subscribe<E> = (listener: (event: E) => void) => Disposable;

/**
 * A tiny typed emitter kept private inside each class; only its `subscribe` is exposed. A
 * throwing listener must never break a request, so listener errors are swallowed.
 */
export class Emitter<E> {
  #listeners: ((event: E) => void)[] = [];

  /** True when at least one listener is registered (lets hot paths skip building events). */
  get active(): boolean {
    return this.#listeners.length > 0;
  }

  readonly subscribe: Subscribe<E> = (listener) => {
    this.#listeners = [...this.#listeners, listener];
    return {
      dispose: () => {
        this.#listeners = this.#listeners.filter((l) => l !== listener);
      },
    };
  };

  emit(event: E): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // Observers must not change the outcome of the call they observe.
      }
    }
  }
}
