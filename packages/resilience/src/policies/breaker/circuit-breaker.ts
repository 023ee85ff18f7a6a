import { BrokenCircuitError } from '../../errors/broken-circuit-error.ts';
import { Emitter } from '../common/emitter.ts';
import { execute, passOn, type Outcome, type Settler } from '../common/executor.ts';
import { contextFor, invoke, type Invocable } from '../common/invoke.ts';
import type { Disposable, ExecuteContext, ExecuteFn, Policy } from '../common/policy.ts';
import { closedState, isolatedState, type BreakerState, type BreakerStateName } from './breaker-state.ts';
import {
  resolveBreakerOptions,
  type CircuitBreakerOptions,
  type ResolvedBreakerOptions,
} from './circuit-breaker-options.ts';
import { CountWindow } from './count-window.ts';
import type { SlidingWindow } from './sliding-window.ts';
import { TimeWindow } from './time-window.ts';

/** Payload of {@link CircuitBreaker.onStateChange}. */
export interface BreakerStateChangeEvent {
  readonly name: string;
  readonly from: BreakerStateName;
  readonly to: BreakerStateName;
}

/** Payload of {@link CircuitBreaker.onSuccess}. `durationMs` is 0 when the breaker did not time the call. */
export interface BreakerSuccessEvent {
  readonly name: string;
  readonly durationMs: number;
  readonly slow: boolean;
}

/** Payload of {@link CircuitBreaker.onFailure}; `error` is absent for a failure result. */
export interface BreakerFailureEvent {
  readonly name: string;
  readonly durationMs: number;
  readonly slow: boolean;
  readonly error?: unknown;
}

/** Payload of {@link CircuitBreaker.onReject}. */
export interface BreakerRejectEvent {
  readonly name: string;
  readonly state: BreakerStateName;
}

/** What {@link CircuitBreaker.snapshot} reports. */
export interface CircuitBreakerSnapshot {
  readonly state: BreakerStateName;
  /** Failures in a row while closed. */
  readonly consecutiveFailures: number;
  /** Calls, failures and slow calls in the sliding window (0 when no rate rule is set). */
  readonly windowCalls: number;
  readonly windowFailures: number;
  readonly windowSlowCalls: number;
  /** Probes running and probes succeeded while half-open (0 otherwise). */
  readonly halfOpenInFlight: number;
  readonly halfOpenSuccesses: number;
  /** Openings in a row without closing in between (drives `openBackoff`). */
  readonly consecutiveOpens: number;
  /** Ms until an open breaker admits probes (0 unless open). */
  readonly openRemainingMs: number;
}

const never = (): boolean => false;

/**
 * Circuit breaker: stops calling a dependency that keeps failing, then lets a few probe calls
 * through to find out whether it recovered. No timer runs per breaker: an open breaker turns
 * half-open the next time someone looks (a call, `snapshot()`, `state`), computed from the
 * injected clock.
 */
export class CircuitBreaker implements Policy, Invocable {
  readonly name: string;
  readonly #o: ResolvedBreakerOptions;
  readonly #settler: Settler<number>;
  readonly #window: SlidingWindow | undefined;
  /** Whether every call must be timed (slow-call rule or time window), listeners aside. */
  readonly #timed: boolean;
  #state: BreakerState = closedState;
  /** Bumped on every transition; a call's outcome only counts in the state it started in. */
  #epoch = 0;
  #consecutiveFailures = 0;
  #consecutiveOpens = 0;
  #lastOpenMs = 0;
  #stateChange: Emitter<BreakerStateChangeEvent> | undefined;
  #success: Emitter<BreakerSuccessEvent> | undefined;
  #failure: Emitter<BreakerFailureEvent> | undefined;
  #reject: Emitter<BreakerRejectEvent> | undefined;

  constructor(options: CircuitBreakerOptions = {}) {
    const o = resolveBreakerOptions(options);
    this.#o = o;
    this.name = o.name;
    this.#settler = {
      classifier: { failedError: o.isFailure, failedResult: o.isResultFailure ?? never },
      settle: <T>(outcome: Outcome, epoch: number): T => {
        this.#record(epoch, outcome);
        return passOn(outcome);
      },
      // The token is the epoch, which changes only on transitions.
      shareHandlers: true,
      shared: undefined,
    };
    const w = o.window;
    this.#window =
      w === undefined
        ? undefined
        : w.kind === 'count'
          ? new CountWindow(w.size)
          : new TimeWindow(w.durationMs, w.buckets ?? 10);
    this.#timed = o.slowCallRateThreshold !== Infinity || w?.kind === 'time';
  }

  /** Every state change, including the lazy open → half_open one (emitted when observed). */
  onStateChange(listener: (event: BreakerStateChangeEvent) => void): Disposable {
    return (this.#stateChange ??= new Emitter()).subscribe(listener);
  }

  /** Every call that ran and was not classified as a failure. */
  onSuccess(listener: (event: BreakerSuccessEvent) => void): Disposable {
    return (this.#success ??= new Emitter()).subscribe(listener);
  }

  /** Every call that ran and was classified as a failure (error or result). */
  onFailure(listener: (event: BreakerFailureEvent) => void): Disposable {
    return (this.#failure ??= new Emitter()).subscribe(listener);
  }

  /** Every call rejected without running. */
  onReject(listener: (event: BreakerRejectEvent) => void): Disposable {
    return (this.#reject ??= new Emitter()).subscribe(listener);
  }

  /** The current state (applies a due open → half_open transition first). */
  get state(): BreakerStateName {
    return this.#refresh().name;
  }

  /** Runs `fn` if the breaker admits it; rejects with BrokenCircuitError otherwise. */
  execute<T>(fn: ExecuteFn<T>, signal?: AbortSignal): Promise<T> {
    return this[invoke](fn, contextFor(signal));
  }

  /** Internal entry point used by `wrap`: takes the caller's whole context. */
  [invoke]<T>(fn: ExecuteFn<T>, context: ExecuteContext): Promise<T> {
    const epoch = this.#admit();
    if (epoch < 0) return Promise.reject(this.#rejection());
    const timed = this.#timed || this.#success?.active === true || this.#failure?.active === true;
    return execute(fn, context, this.#settler, epoch, timed ? this.#o.now : undefined);
  }

  /** Forces the breaker open until {@link reset}: for maintenance or a known-bad dependency. */
  isolate(): void {
    this.#transition(isolatedState);
  }

  /** Closes the breaker and forgets every count, from any state (also ends isolation). */
  reset(): void {
    this.#transition(closedState);
    this.#consecutiveOpens = 0;
    this.#lastOpenMs = 0;
  }

  /** Current state and counts; applies due lazy transitions and window sliding first. */
  snapshot(): CircuitBreakerSnapshot {
    const state = this.#refresh();
    const window = this.#window;
    if (window !== undefined && this.#o.window?.kind === 'time') window.advance(this.#o.now());
    return {
      state: state.name,
      consecutiveFailures: this.#consecutiveFailures,
      windowCalls: window?.calls ?? 0,
      windowFailures: window?.failures ?? 0,
      windowSlowCalls: window?.slowCalls ?? 0,
      halfOpenInFlight: state.name === 'half_open' ? state.inFlight : 0,
      halfOpenSuccesses: state.name === 'half_open' ? state.successes : 0,
      consecutiveOpens: this.#consecutiveOpens,
      openRemainingMs: state.name === 'open' ? this.#remainingMs(state, this.#o.now()) : 0,
    };
  }

  /** Admits a call: returns the epoch it runs in, or -1 when the breaker rejects it. */
  #admit(): number {
    const state = this.#state.name === 'closed' ? this.#state : this.#refresh();
    if (state.name === 'closed') return this.#epoch;
    if (state.name === 'half_open' && state.inFlight < this.#o.halfOpenMaxProbes) {
      state.inFlight++;
      return this.#epoch;
    }
    return -1;
  }

  #rejection(): BrokenCircuitError {
    const state = this.#state;
    // Never closed here (closed admits every call); the check narrows the type.
    const name = state.name === 'closed' ? 'open' : state.name;
    if (this.#reject?.active) this.#reject.emit({ name: this.name, state: name });
    const retryAfterMs = state.name === 'open' ? this.#remainingMs(state, this.#o.now()) : undefined;
    return new BrokenCircuitError(this.name, name, retryAfterMs);
  }

  #record(epoch: number, outcome: Outcome): void {
    const { durationMs, failed } = outcome;
    // Untimed calls report 0 ms, and slowCallDurationMs is at least 1, so they are never slow.
    const slow = durationMs >= this.#o.slowCallDurationMs;
    if (failed) {
      if (this.#failure?.active) {
        this.#failure.emit(
          outcome.threw
            ? { name: this.name, durationMs, slow, error: outcome.result }
            : { name: this.name, durationMs, slow },
        );
      }
    } else if (this.#success?.active) {
      this.#success.emit({ name: this.name, durationMs, slow });
    }
    if (epoch !== this.#epoch) return;
    const state = this.#state;
    if (state.name === 'closed') {
      this.#recordClosed(failed, slow, outcome.finishedAt);
    } else if (state.name === 'half_open') {
      state.inFlight--;
      if (failed || (slow && this.#o.slowCallRateThreshold !== Infinity)) this.#open();
      else if (++state.successes >= this.#o.halfOpenSuccesses) this.#close();
    }
  }

  #recordClosed(failed: boolean, slow: boolean, finishedAt: number): void {
    const o = this.#o;
    if (!failed) this.#consecutiveFailures = 0;
    else if (++this.#consecutiveFailures >= o.consecutiveFailures) return this.#open();
    const window = this.#window;
    if (window === undefined) return;
    window.record(finishedAt, failed, slow);
    const calls = window.calls;
    if (
      calls >= o.minimumCalls &&
      (window.failures / calls >= o.failureRateThreshold ||
        window.slowCalls / calls >= o.slowCallRateThreshold)
    ) {
      this.#open();
    }
  }

  #open(): void {
    const backoff = this.#o.openBackoff;
    this.#consecutiveOpens++;
    const openForMs =
      backoff === undefined
        ? this.#o.openDurationMs
        : backoff.delayMs(this.#consecutiveOpens, this.#lastOpenMs);
    this.#lastOpenMs = openForMs;
    this.#transition({ name: 'open', openedAt: this.#o.now(), openForMs });
  }

  #close(): void {
    this.#consecutiveOpens = 0;
    this.#lastOpenMs = 0;
    this.#transition(closedState);
  }

  /** Applies a due open → half_open transition; returns the (possibly new) state. */
  #refresh(): BreakerState {
    const state = this.#state;
    if (state.name !== 'open') return state;
    const now = this.#o.now();
    if (now < state.openedAt) {
      // The clock went backwards: re-anchor, so the breaker stays open at most openForMs more
      // instead of the size of the jump.
      state.openedAt = now;
    } else if (now - state.openedAt >= state.openForMs) {
      this.#transition({ name: 'half_open', inFlight: 0, successes: 0 });
    }
    return this.#state;
  }

  #remainingMs(state: BreakerState & { name: 'open' }, now: number): number {
    return Math.max(0, state.openForMs - Math.max(0, now - state.openedAt));
  }

  #transition(next: BreakerState): void {
    const from = this.#state.name;
    this.#state = next;
    this.#epoch++;
    this.#consecutiveFailures = 0;
    this.#window?.clear();
    if (from !== next.name && this.#stateChange?.active) {
      this.#stateChange.emit({ name: this.name, from, to: next.name });
    }
  }
}
