import { RetryBudgetExhaustedError } from '../../errors/retry-budget-exhausted-error.ts';
import { Emitter, type Subscribe } from '../common/emitter.ts';
import { runAttempt, settle, type Classifier, type Outcome } from '../common/executor.ts';
import { contextFor, invoke, type Invocable } from '../common/invoke.ts';
import { reasonOf } from '../common/reason.ts';
import type { ExecuteContext, ExecuteFn, Policy } from '../common/policy.ts';
import { sleep } from '../common/sleep.ts';
import { resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions } from './retry-options.ts';

/** Payload of {@link Retry.onRetry}: `attempt` is the attempt about to run (2 = first retry). */
export interface RetryEvent {
  readonly name: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

/** Payload of {@link Retry.onGiveUp}: a retryable failure that is returned/thrown as it is. */
export interface GiveUpEvent {
  readonly name: string;
  readonly attempts: number;
  readonly reason: string;
}

/** Payload of {@link Retry.onBudgetExhausted}. */
export interface BudgetExhaustedEvent {
  readonly name: string;
}

const never = (): boolean => false;

/**
 * Retries failed calls with backoff, honouring server-guided delays and an optional shared
 * budget. Sleeps end at once when the caller's signal aborts.
 */
export class Retry implements Policy, Invocable {
  readonly name: string;
  readonly #o: ResolvedRetryOptions;
  readonly #classifier: Classifier;
  readonly #retry = new Emitter<RetryEvent>();
  readonly #giveUp = new Emitter<GiveUpEvent>();
  readonly #budgetExhausted = new Emitter<BudgetExhaustedEvent>();

  /** Before every retry, after its delay is known. */
  readonly onRetry: Subscribe<RetryEvent> = this.#retry.subscribe;
  /** When a retryable failure is not retried (attempts, budget, or a too-long server delay). */
  readonly onGiveUp: Subscribe<GiveUpEvent> = this.#giveUp.subscribe;
  /** When the budget refused a retry. */
  readonly onBudgetExhausted: Subscribe<BudgetExhaustedEvent> = this.#budgetExhausted.subscribe;

  constructor(options: RetryOptions = {}) {
    this.#o = resolveRetryOptions(options);
    this.name = this.#o.name;
    this.#classifier = { failedError: this.#o.retryOn, failedResult: this.#o.retryOnResult ?? never };
  }

  /** Attempts in total, the first one included. */
  get maxAttempts(): number {
    return this.#o.maxAttempts;
  }

  execute<T>(fn: ExecuteFn<T>, signal?: AbortSignal): Promise<T> {
    return this[invoke](fn, contextFor(signal));
  }

  async [invoke]<T>(fn: ExecuteFn<T>, context: ExecuteContext): Promise<T> {
    const o = this.#o;
    const signal = context.signal;
    o.budget?.deposit();
    let previousDelayMs = 0;
    for (let attempt = 1; ; attempt++) {
      const ctx = attempt === context.attempt ? context : { signal, attempt };
      const outcome = await runAttempt(fn, ctx, this.#classifier, undefined);
      if (!outcome.failed || signal.aborted) return settle(outcome);
      const reason = reasonOf(outcome);
      if (attempt >= o.maxAttempts) return this.#giveUpWith(outcome, attempt, reason);
      let delayMs = Math.min(o.maxDelayMs, o.backoff.delayMs(attempt, previousDelayMs));
      const retryAfterMs = retryAfterOf(outcome);
      if (retryAfterMs !== undefined) {
        if (retryAfterMs > o.maxRetryAfterMs) return this.#giveUpWith(outcome, attempt, reason);
        delayMs = Math.max(delayMs, retryAfterMs);
      }
      if (o.budget !== undefined && !o.budget.tryWithdraw()) {
        if (this.#budgetExhausted.active) this.#budgetExhausted.emit({ name: this.name });
        if (!outcome.threw) return this.#giveUpWith(outcome, attempt, reason);
        this.#emitGiveUp(attempt, reason);
        throw new RetryBudgetExhaustedError(this.name, attempt, outcome.error);
      }
      if (this.#retry.active) this.#retry.emit({ name: this.name, attempt: attempt + 1, delayMs, reason });
      await sleep(delayMs, signal);
      previousDelayMs = delayMs;
    }
  }

  #giveUpWith<T>(outcome: Outcome<T>, attempts: number, reason: string): T {
    this.#emitGiveUp(attempts, reason);
    return settle(outcome);
  }

  #emitGiveUp(attempts: number, reason: string): void {
    if (this.#giveUp.active) this.#giveUp.emit({ name: this.name, attempts, reason });
  }
}

/** A server-guided delay carried by the failure (`retryAfterMs` on the error or the result). */
function retryAfterOf(outcome: Outcome<unknown>): number | undefined {
  const carrier = (outcome.threw ? outcome.error : outcome.value) as
    { retryAfterMs?: unknown } | null | undefined;
  if (typeof carrier !== 'object' || carrier === null) return undefined;
  const ms = carrier.retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
