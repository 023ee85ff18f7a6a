import { Emitter, type Subscribe } from '../../policies/common/emitter.ts';

/** Payload of `onHedge`: a hedged attempt was sent. */
export interface ClientHedgeEvent {
  name: string;
  /** Which hedge of its round: 1 for the first copy, 2 for the second, … */
  hedge: number;
  /** How long the call had waited for an answer when the hedge went out, in ms. */
  delayMs: number;
}

/** Payload of `onHedgeWon`: the call's answer came from a hedged attempt, not the first one. */
export interface ClientHedgeWonEvent {
  name: string;
  /** Which hedge answered: 1 for the first copy, … */
  hedge: number;
}

/** Why a hedge that was due was not sent. */
export type HedgeSkipReason = 'budget' | 'no_endpoint' | 'concurrency_limit';

/** Payload of `onHedgeSkipped`. */
export interface ClientHedgeSkippedEvent {
  name: string;
  reason: HedgeSkipReason;
}

/**
 * The hedging events of a service client (`resilience_hedges_sent_total`,
 * `resilience_hedges_won_total`, `resilience_hedges_skipped_total`); the client reports through
 * this object.
 */
export class ClientHedgingEvents {
  /** The upstream's service name (the `name` label). */
  readonly name: string;
  readonly #hedge = new Emitter<ClientHedgeEvent>();
  readonly #won = new Emitter<ClientHedgeWonEvent>();
  readonly #skipped = new Emitter<ClientHedgeSkippedEvent>();
  /** Every hedged attempt sent. */
  readonly onHedge: Subscribe<ClientHedgeEvent> = this.#hedge.subscribe;
  /** Every call answered by a hedged attempt. */
  readonly onHedgeWon: Subscribe<ClientHedgeWonEvent> = this.#won.subscribe;
  /** Every hedge that was due but not sent (budget spent, no other endpoint, concurrency limit). */
  readonly onHedgeSkipped: Subscribe<ClientHedgeSkippedEvent> = this.#skipped.subscribe;

  constructor(name: string) {
    this.name = name;
  }

  /** @internal */
  hedged(hedge: number, delayMs: number): void {
    this.#hedge.emit({ name: this.name, hedge, delayMs });
  }

  /** @internal */
  won(hedge: number): void {
    this.#won.emit({ name: this.name, hedge });
  }

  /** @internal */
  skipped(reason: HedgeSkipReason): void {
    this.#skipped.emit({ name: this.name, reason });
  }
}
