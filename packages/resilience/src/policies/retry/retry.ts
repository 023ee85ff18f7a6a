import { RetryBudgetExhaustedError } from '../../errors/retry-budget-exhausted-error.ts';
import { Emitter } from '../common/emitter.ts';
import { execute, passOn, type Outcome, type Settler } from '../common/executor.ts';
import { contextFor, invoke, type Invocable } from '../common/invoke.ts';
import type { Disposable, ExecuteContext, ExecuteFn, Policy } from '../common/policy.ts';
import { reasonOf } from '../common/reason.ts';
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

/** Per-attempt token: what the next attempt needs. */
interface Attempt<T> {
  readonly fn: ExecuteFn<T>;
  readonly context: ExecuteContext;
  /** The delay slept before this attempt (0 before the first). */
  readonly previousDelayMs: number;
}

/**
 * Retries failed calls with backoff, honouring server-guided delays and an optional shared
 * budget. Sleeps end at once when the caller's signal aborts.
 */
export class Retry implements Policy, Invocable {
  readonly name: string;
  readonly #o: ResolvedRetryOptions;
  readonly #settler: Settler<Attempt<unknown>>;
  #retry: Emitter<RetryEvent> | undefined;
  #giveUp: Emitter<GiveUpEvent> | undefined;
  #budgetExhausted: Emitter<BudgetExhaustedEvent> | undefined;

  constructor(options: RetryOptions = {}) {
    this.#o = resolveRetryOptions(options);
    this.name = this.#o.name;
    this.#settler = {
      classifier: { failedError: this.#o.retryOn, failedResult: this.#o.retryOnResult ?? never },
      settle: <T>(outcome: Outcome, attempt: Attempt<unknown>) =>
        this.#settle(outcome, attempt as Attempt<T>),
      shareHandlers: false,
      shared: undefined,
    };
  }

  /** Attempts in total, the first one included. */
  get maxAttempts(): number {
    return this.#o.maxAttempts;
  }

  /** Before every retry, after its delay is known. */
  onRetry(listener: (event: RetryEvent) => void): Disposable {
    return (this.#retry ??= new Emitter()).subscribe(listener);
  }

  /** When a retryable failure is not retried (attempts, budget, or a too-long server delay). */
  onGiveUp(listener: (event: GiveUpEvent) => void): Disposable {
    return (this.#giveUp ??= new Emitter()).subscribe(listener);
  }

  /** When the budget refused a retry. */
  onBudgetExhausted(listener: (event: BudgetExhaustedEvent) => void): Disposable {
    return (this.#budgetExhausted ??= new Emitter()).subscribe(listener);
  }

  /** Runs `fn`, retrying failures as configured; `ctx.attempt` counts the attempts. */
  execute<T>(fn: ExecuteFn<T>, signal?: AbortSignal): Promise<T> {
    return this[invoke](fn, contextFor(signal));
  }

  /** Internal entry point used by `wrap`: takes the caller's whole context. */
  [invoke]<T>(fn: ExecuteFn<T>, context: ExecuteContext): Promise<T> {
    // Like every policy that waits, never start work for a caller that already gave up.
    if (context.signal.aborted) return Promise.reject(context.signal.reason as Error);
    this.#o.budget?.deposit();
    // The attempt number fn sees is this policy's own count.
    const first = context.attempt === 1 ? context : { signal: context.signal, attempt: 1 };
    return execute(fn, first, this.#settler, { fn, context: first, previousDelayMs: 0 }, undefined);
  }

  /** Decides after each attempt: pass the outcome on, give up, or schedule the next attempt. */
  #settle<T>(outcome: Outcome, { fn, context, previousDelayMs }: Attempt<T>): T | Promise<T> {
    if (!outcome.failed || context.signal.aborted) return passOn(outcome);
    const o = this.#o;
    const attempt = context.attempt;
    const reason = reasonOf(outcome);
    if (attempt >= o.maxAttempts) return this.#giveUpWith(outcome, attempt, reason);
    let delayMs = Math.min(o.maxDelayMs, o.backoff.delayMs(attempt, previousDelayMs));
    const retryAfterMs = retryAfterOf(outcome);
    if (retryAfterMs !== undefined) {
      if (retryAfterMs > o.maxRetryAfterMs) return this.#giveUpWith(outcome, attempt, reason);
      delayMs = Math.max(delayMs, retryAfterMs);
    }
    if (o.budget !== undefined && !o.budget.tryWithdraw()) {
      if (this.#budgetExhausted?.active) this.#budgetExhausted.emit({ name: this.name });
      if (!outcome.threw) return this.#giveUpWith(outcome, attempt, reason);
      this.#emitGiveUp(attempt, reason);
      throw new RetryBudgetExhaustedError(this.name, attempt, outcome.result);
    }
    if (this.#retry?.active) this.#retry.emit({ name: this.name, attempt: attempt + 1, delayMs, reason });
    return this.#next(fn, context.signal, attempt + 1, delayMs);
  }

  async #next<T>(fn: ExecuteFn<T>, signal: AbortSignal, attempt: number, delayMs: number): Promise<T> {
    await sleep(delayMs, signal);
    const context = { signal, attempt };
    return execute(fn, context, this.#settler, { fn, context, previousDelayMs: delayMs }, undefined);
  }

  #giveUpWith<T>(outcome: Outcome, attempts: number, reason: string): T {
    this.#emitGiveUp(attempts, reason);
    return passOn(outcome);
  }

  #emitGiveUp(attempts: number, reason: string): void {
    if (this.#giveUp?.active) this.#giveUp.emit({ name: this.name, attempts, reason });
  }
}

/** A server-guided delay carried by the failure (`retryAfterMs` on the error or the result). */
function retryAfterOf(outcome: Outcome): number | undefined {
  const carrier = outcome.result as { retryAfterMs?: unknown } | null | undefined;
  if (typeof carrier !== 'object' || carrier === null) return undefined;
  const ms = carrier.retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
