import type { Disposable } from './rate-limiter.ts';

/**
 * A tiny synchronous event emitter kept private to each limiter. A throwing listener must not
 * break a rate-limit decision, so listener errors are reported asynchronously instead.
 */
export class Emitter<T> {
  readonly #listeners = new Set<(event: T) => void>();

  /** Subscribes; the returned disposer unsubscribes (idempotent). */
  subscribe(listener: (event: T) => void): Disposable {
    const wrapped = (event: T): void => listener(event);
    this.#listeners.add(wrapped);
    return { dispose: () => void this.#listeners.delete(wrapped) };
  }

  /** True when someone listens, so callers can skip building events nobody reads. */
  get active(): boolean {
    return this.#listeners.size > 0;
  }

  emit(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
