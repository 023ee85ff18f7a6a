import type { Disposable } from './policy.ts';

/**
 * Private event emitter behind every `onX` subscribe method. Policies create one only when the
 * first listener subscribes (`#x ??= new Emitter()`) and test `#x?.active` before building an
 * event, so a policy nobody listens to pays neither memory nor time for events. Listeners are
 * kept in a copy-on-write array, so a listener may dispose itself (or another) during delivery.
 */
export class Emitter<E> {
  #listeners: ReadonlyArray<(event: E) => void> = [];

  /** True when at least one listener is subscribed; lets callers skip building an event. */
  get active(): boolean {
    return this.#listeners.length > 0;
  }

  /** Adds a listener; the returned disposer removes exactly this subscription. */
  subscribe(listener: (event: E) => void): Disposable {
    const entry = (event: E): void => listener(event);
    this.#listeners = [...this.#listeners, entry];
    return {
      dispose: () => {
        this.#listeners = this.#listeners.filter((l) => l !== entry);
      },
    };
  }

  /**
   * Delivers `event` to every listener. A throwing listener must not corrupt the policy's state
   * machine half-way through a transition, nor crash a service because a metrics or logging
   * hook has a bug: its error is reported as a process warning (printed to stderr, observable
   * with `process.on('warning')`) and delivery goes on to the other listeners.
   */
  emit(event: E): void {
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(event);
      } catch (error) {
        reportListenerError(error);
      }
    }
  }
}

function reportListenerError(error: unknown): void {
  const warning = error instanceof Error ? error : new Error(String(error));
  process.emitWarning(warning, { type: 'ShipshapeListenerError', code: 'listener_error' });
}
