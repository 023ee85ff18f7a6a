import type { Disposable } from './policy.ts';

/** A subscribe function: registers `listener` and returns its disposer. */
export type Subscribe<E> = (listener: (event: E) => void) => Disposable;

/**
 * The one private event emitter behind every `onX` subscribe function in this package: the
 * policies (`policies/*`), the rate limiters and the HTTP service client (`http/*`). Only its
 * `subscribe` is exposed, as `onX`.
 *
 * Policies create one only when the first listener subscribes (`#x ??= new Emitter()`) and test
 * `#x?.active` before building an event, so a policy nobody listens to pays neither memory nor
 * time for events. Listeners are kept in a copy-on-write array, so a listener may dispose itself
 * (or another) during delivery.
 *
 * The listener-error rule, the same for every event of the package: a listener's exception never
 * reaches the policy or the call it observes (it must not corrupt a state machine half-way
 * through a transition, fail a request, or crash a service because a metrics or logging hook has
 * a bug). It is reported as a process warning of type `ShipshapeListenerError`, code
 * `listener_error` (printed to stderr by default, observable with `process.on('warning')`), and
 * delivery goes on to the other listeners.
 */
export class Emitter<E> {
  #listeners: ReadonlyArray<(event: E) => void> = [];

  /** True when at least one listener is subscribed; lets callers skip building an event. */
  get active(): boolean {
    return this.#listeners.length > 0;
  }

  /**
   * Adds a listener; the returned disposer removes exactly this subscription. An arrow property,
   * so it can be exposed unbound as a public `onX` field.
   */
  readonly subscribe: Subscribe<E> = (listener) => {
    const entry = (event: E): void => listener(event);
    this.#listeners = [...this.#listeners, entry];
    return {
      dispose: () => {
        this.#listeners = this.#listeners.filter((l) => l !== entry);
      },
    };
  };

  /**
   * Delivers `event` to every listener, in subscription order. A throwing listener is reported
   * as a `ShipshapeListenerError` process warning and never throws into the caller (see the
   * class comment).
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
