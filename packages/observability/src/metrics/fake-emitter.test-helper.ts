// A minimal typed event emitter for tests that stand in for resilience policies.
import type { Disposable } from './metrics-registry.ts';

export class FakeEmitter<E> {
  readonly #listeners = new Set<(event: E) => void>();

  readonly subscribe = (listener: (event: E) => void): Disposable => {
    this.#listeners.add(listener);
    return { dispose: () => void this.#listeners.delete(listener) };
  };

  emit(event: E): void {
    for (const listener of this.#listeners) listener(event);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
