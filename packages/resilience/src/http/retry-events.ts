import { Emitter, type Subscribe } from '../policies/common/emitter.ts';

/** Payload of `onRetry`: a retry is about to wait `delayMs` and then send attempt `attempt + 1`. */
export interface ClientRetryEvent {
  name: string;
  /** The attempt that failed (1 = the first try). */
  attempt: number;
  delayMs: number;
  /** Bounded token: `http_503`, `http_429`, `timeout`, `ECONNREFUSED`, `UND_ERR_SOCKET`, … */
  reason: string;
}

/** Payload of `onGiveUp`: a retryable failure that will not be retried (attempts, budget, deadline). */
export interface ClientGiveUpEvent {
  name: string;
  attempts: number;
  reason: string;
}

/**
 * The retry events of a service client, shaped like the policies' `Retry` events so the
 * metrics bridge can subscribe to either. The client runs its own retry loop (it must pick a
 * new endpoint and honour Retry-After per attempt) and reports through this object.
 */
export class ClientRetryEvents {
  /** The upstream's service name (the `name` label of `resilience_retries_total`). */
  readonly name: string;
  readonly #retry = new Emitter<ClientRetryEvent>();
  readonly #giveUp = new Emitter<ClientGiveUpEvent>();
  readonly #budget = new Emitter<{ name: string }>();
  /** Every retry, before its delay. */
  readonly onRetry: Subscribe<ClientRetryEvent> = this.#retry.subscribe;
  /** Every retryable failure that ends the call. */
  readonly onGiveUp: Subscribe<ClientGiveUpEvent> = this.#giveUp.subscribe;
  /** Every retry refused by the retry budget. */
  readonly onBudgetExhausted: Subscribe<{ name: string }> = this.#budget.subscribe;

  constructor(name: string) {
    this.name = name;
  }

  /** @internal */
  retry(attempt: number, delayMs: number, reason: string): void {
    this.#retry.emit({ name: this.name, attempt, delayMs, reason });
  }

  /** @internal */
  giveUp(attempts: number, reason: string): void {
    this.#giveUp.emit({ name: this.name, attempts, reason });
  }

  /** @internal */
  budgetExhausted(): void {
    this.#budget.emit({ name: this.name });
  }
}
