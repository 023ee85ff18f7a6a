import type { AttemptCancel } from '../abort-scope.ts';
import type { Endpoint } from '../endpoints/endpoint.ts';
import type { ClientRetryBudget } from '../policy-shapes.ts';
import { isFinalResponse, type AttemptOutcome } from '../retry-decision.ts';
import type { HedgeTag } from './hedge-tag.ts';
import type { ClientHedgingEvents } from './hedging-events.ts';

/** How one attempt of a round ended, besides an outcome: not sent, or cancelled because another won. */
export type RoundAttempt = AttemptOutcome | 'rejected' | 'superseded' | 'limited';

/** What a {@link HedgedRound} needs of the client. */
export interface HedgedRoundDeps {
  readonly events: ClientHedgingEvents;
  /** Wait before each hedge, in ms. */
  readonly delayMs: number;
  readonly maxHedges: number;
  /** What hedges withdraw from. */
  readonly budget: ClientRetryBudget;
  /** Endpoints the call already used; hedges avoid them and the round's own. */
  readonly tried: ReadonlySet<Endpoint> | undefined;
  /** The client's endpoint choice (`EndpointRegistry.pick`). */
  pick(exclude: ReadonlySet<Endpoint>): Endpoint | undefined;
  /** Sends one attempt of the round (numbering it) and settles with how it ended. */
  send(endpoint: Endpoint, tag: HedgeTag): Promise<RoundAttempt>;
  /** Monotonic clock, ms. */
  now(): number;
}

/** How a round ended: the winning answer, or the last failure (`rejected` when nothing was sent). */
export interface RoundResult {
  readonly outcome: AttemptOutcome | 'rejected' | 'limited';
  /** Every endpoint the round sent to. */
  readonly used: readonly Endpoint[];
  /** The index of the winning attempt (0 = the first), when one answered. */
  readonly winner: number | undefined;
}

/**
 * One attempt with its hedges: the first attempt goes out; whenever `delayMs` passes without an
 * answer, or an attempt fails, the next hedge goes to an endpoint the call has not used, as long
 * as the budget allows. The first final answer (2xx–4xx but 429) wins and cancels the others;
 * when every attempt failed, the round ends with the last failure and the client's retry rules
 * decide what follows.
 */
export class HedgedRound {
  readonly #deps: HedgedRoundDeps;
  readonly #used = new Set<Endpoint>();
  readonly #cancels: (AttemptCancel | undefined)[] = [];
  readonly #startedAt: number;
  #pending = 0;
  #hedges = 0;
  #claimed: number | undefined;
  #last: AttemptOutcome | 'rejected' | 'limited' = 'rejected';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #done = false;
  #stopHedging = false;
  #resolve!: (result: RoundResult) => void;
  #reject!: (error: unknown) => void;

  constructor(deps: HedgedRoundDeps) {
    this.#deps = deps;
    this.#startedAt = deps.now();
    for (const endpoint of deps.tried ?? []) this.#used.add(endpoint);
  }

  /** Sends the first attempt to `endpoint` and resolves once the round is decided. */
  run(endpoint: Endpoint): Promise<RoundResult> {
    const promise = new Promise<RoundResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#launch(endpoint);
    this.#arm();
    return promise;
  }

  #arm(): void {
    if (this.#done || this.#stopHedging || this.#hedges >= this.#deps.maxHedges) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#hedge();
      this.#arm();
    }, this.#deps.delayMs);
  }

  #hedge(): void {
    if (this.#done || this.#stopHedging || this.#hedges >= this.#deps.maxHedges) return;
    const endpoint = this.#deps.pick(this.#used);
    if (endpoint === undefined || this.#used.has(endpoint)) {
      this.#skip('no_endpoint');
      return;
    }
    if (!this.#deps.budget.tryWithdraw()) {
      this.#skip('budget');
      return;
    }
    this.#hedges += 1;
    this.#launch(endpoint);
  }

  #skip(reason: 'budget' | 'no_endpoint' | 'concurrency_limit'): void {
    // Whatever stopped this hedge stops the later ones of the round too.
    this.#stopHedging = true;
    this.#deps.events.skipped(reason);
    if (this.#pending === 0) this.#finish();
  }

  #launch(endpoint: Endpoint): void {
    const index = this.#cancels.length;
    this.#cancels.push(undefined);
    this.#used.add(endpoint);
    this.#pending += 1;
    const tag: HedgeTag = {
      index,
      track: (cancel) => {
        this.#cancels[index] = cancel;
        if (this.#done) cancel.supersede();
      },
      spanOutcome: (status) => this.#spanOutcome(index, status),
    };
    if (index > 0) this.#deps.events.hedged(index, this.#deps.now() - this.#startedAt);
    this.#deps.send(endpoint, tag).then(
      (result) => this.#settle(index, result),
      (error: unknown) => this.#fail(error),
    );
  }

  #spanOutcome(index: number, status: number | undefined): 'won' | 'lost' | undefined {
    if (this.#claimed !== undefined) return this.#claimed === index ? 'won' : 'lost';
    if (this.#done) return 'lost';
    if (status !== undefined && status < 500 && status !== 429) {
      this.#claimed = index;
      return 'won';
    }
    return undefined;
  }

  #settle(index: number, result: RoundAttempt): void {
    this.#pending -= 1;
    if (this.#done) return;
    if (typeof result === 'object' && isFinalResponse(result)) {
      if (this.#claimed === undefined || this.#claimed === index) {
        this.#claimed = index;
        this.#finish(result, index);
        return;
      }
    } else if (result === 'limited') {
      if (index === 0) this.#last = 'limited';
      else this.#skip('concurrency_limit');
    } else if (result !== 'superseded') {
      if (typeof result === 'object' || this.#last === 'rejected') this.#last = result;
      // A failed attempt need not wait for the delay: the next hedge goes now (gRPC's rule). A
      // breaker rejection sent nothing: the client's loop picks another endpoint for it.
      if (typeof result === 'object') this.#hedge();
    }
    if (this.#pending === 0 && !this.#done) this.#finish();
  }

  #finish(winner?: AttemptOutcome, index?: number): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#timer);
    for (let i = 0; i < this.#cancels.length; i++) if (i !== index) this.#cancels[i]?.supersede();
    if (index !== undefined && index > 0) this.#deps.events.won(index);
    this.#resolve({ outcome: winner ?? this.#last, used: [...this.#used], winner: index });
  }

  #fail(error: unknown): void {
    this.#pending -= 1;
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#timer);
    for (const cancel of this.#cancels) cancel?.supersede();
    this.#reject(error);
  }
}
