import { Emitter, type Subscribe } from '../policies/common/emitter.ts';

/** Payload of `onTimeout`: an attempt ran out of its time (per-try timeout or the deadline). */
export interface ClientTimeoutEvent {
  name: string;
  /** The attempt's time limit that elapsed, in ms. */
  timeoutMs: number;
}

/**
 * The timeout events of a service client, shaped like the policies' `Timeout` events so the
 * metrics bridge counts them in `resilience_timeouts_total{name=<service>}`.
 */
export class ClientTimeoutEvents {
  /** The upstream's service name. */
  readonly name: string;
  readonly #timeout = new Emitter<ClientTimeoutEvent>();
  /** Every attempt cancelled by its timeout. */
  readonly onTimeout: Subscribe<ClientTimeoutEvent> = this.#timeout.subscribe;

  constructor(name: string) {
    this.name = name;
  }

  /** @internal */
  timedOut(timeoutMs: number): void {
    this.#timeout.emit({ name: this.name, timeoutMs });
  }
}
