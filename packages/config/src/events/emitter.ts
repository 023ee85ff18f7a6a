/** Stops a subscription. */
export interface Disposable {
  dispose(): void;
}

/** Subscribes `listener`; call `dispose()` on the result to unsubscribe. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/**
 * A minimal typed emitter, kept private by its owner, which exposes only `event`. A throwing
 * listener does not stop the others; its error goes to `onListenerError`.
 */
export class Emitter<T> {
  readonly #listeners = new Set<(value: T) => void>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = reportListenerError) {
    this.#onListenerError = onListenerError;
  }

  readonly event: Event<T> = (listener) => {
    const wrapped = (value: T): void => listener(value);
    this.#listeners.add(wrapped);
    return { dispose: () => void this.#listeners.delete(wrapped) };
  };

  get size(): number {
    return this.#listeners.size;
  }

  emit(value: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}

function reportListenerError(error: unknown): void {
  process.emitWarning(`a config listener threw: ${error instanceof Error ? error.message : String(error)}`);
}
