import { ConcurrencyLimitExceededError } from '../../errors/concurrency-limit-exceeded-error.ts';
import { isTimeoutError } from '../../errors/timeout-error.ts';
import { Emitter } from '../common/emitter.ts';
import { contextFor, invoke, type Invocable } from '../common/invoke.ts';
import type { Disposable, ExecuteContext, ExecuteFn, Policy } from '../common/policy.ts';
import { monotonicNow, requireNumber } from '../common/validate.ts';
import { createLimitAlgorithm, type LimitAlgorithmName } from './create-limit-algorithm.ts';
import type { LimitAlgorithm } from './limit-algorithm.ts';

/** Options of {@link ConcurrencyLimiter}. */
export interface ConcurrencyLimiterOptions {
  /**
   * How the limit adapts: a built-in algorithm by name (default bounds: initial 20, min 1,
   * max 200) or an instance with your own bounds and smoothing.
   * @default 'gradient2'
   */
  algorithm?: LimitAlgorithmName | LimitAlgorithm;
  /** Name in events, errors and metric labels. @default 'concurrency-limit' */
  name?: string;
  /**
   * Which errors of `execute` mean overload (a drop sample: AIMD backs off). Other errors
   * release the slot without a sample: a fast failure says nothing about capacity.
   * @default isTimeoutError
   */
  isDropped?: (error: unknown) => boolean;
  /**
   * What a rejection tells the caller to wait before trying again, in ms
   * (`ConcurrencyLimitExceededError.retryAfterMs`, the services' `Retry-After`).
   * @default 1000
   */
  retryAfterMs?: number;
  /** Monotonic clock in ms for latency samples; tests inject one. @default performance.now */
  now?: () => number;
}

/** Payload of {@link ConcurrencyLimiter.onReject}. */
export interface ConcurrencyLimitRejectEvent {
  readonly name: string;
  readonly limit: number;
}

/** Payload of {@link ConcurrencyLimiter.onLimitChange}. */
export interface ConcurrencyLimitChangeEvent {
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

/** What {@link ConcurrencyLimiter.snapshot} reports. */
export interface ConcurrencyLimiterSnapshot {
  readonly limit: number;
  readonly inFlight: number;
}

/**
 * The slot of one admitted call. Release it exactly once, saying how the call went; later calls
 * are ignored.
 */
export interface ConcurrencyPermit {
  /** The call finished normally: its latency is a sample. */
  success(): void;
  /** The call signalled overload (timed out, shed with 503 or 429): a drop sample. */
  dropped(): void;
  /** The call says nothing about capacity (cancelled, failed fast): released without a sample. */
  ignore(): void;
}

const defaults = { name: 'concurrency-limit', isDropped: isTimeoutError, retryAfterMs: 1_000 };

/**
 * An adaptive concurrency limit (Netflix `concurrency-limits`, Envoy's adaptive concurrency
 * filter): like a bulkhead, but the number of calls allowed in flight is learnt from their
 * latency by a {@link LimitAlgorithm} instead of guessed, and excess calls are rejected at once
 * with {@link ConcurrencyLimitExceededError} — no queue, so no latency builds up in front of a
 * saturated dependency. Use `execute` like any policy, or `tryAcquire` where the outcome is
 * classified by hand (the service client does).
 */
export class ConcurrencyLimiter implements Policy, Invocable {
  readonly name: string;
  /** The algorithm's name (`gradient2`, `aimd`, …). */
  readonly algorithm: string;
  readonly #algorithm: LimitAlgorithm;
  readonly #isDropped: (error: unknown) => boolean;
  readonly #retryAfterMs: number;
  readonly #now: () => number;
  #limit: number;
  #inFlight = 0;
  #reject: Emitter<ConcurrencyLimitRejectEvent> | undefined;
  #change: Emitter<ConcurrencyLimitChangeEvent> | undefined;

  constructor(options: ConcurrencyLimiterOptions = {}) {
    const o = { ...defaults, ...options };
    requireNumber('retryAfterMs', o.retryAfterMs, 0);
    this.#algorithm = createLimitAlgorithm(o.algorithm ?? 'gradient2');
    this.algorithm = this.#algorithm.name;
    this.name = o.name;
    this.#isDropped = o.isDropped;
    this.#retryAfterMs = o.retryAfterMs;
    this.#now = o.now ?? monotonicNow;
    this.#limit = this.#algorithm.initialLimit;
  }

  /** The current limit. */
  get limit(): number {
    return this.#limit;
  }

  /** Every call refused because the limit was reached. */
  onReject(listener: (event: ConcurrencyLimitRejectEvent) => void): Disposable {
    return (this.#reject ??= new Emitter()).subscribe(listener);
  }

  /** Every change of the limit. */
  onLimitChange(listener: (event: ConcurrencyLimitChangeEvent) => void): Disposable {
    return (this.#change ??= new Emitter()).subscribe(listener);
  }

  /** The limit and the calls in flight now. */
  snapshot(): ConcurrencyLimiterSnapshot {
    return { limit: this.#limit, inFlight: this.#inFlight };
  }

  /**
   * Takes a slot when one is free: returns the permit to release when the call ends, or
   * `undefined` (and emits `onReject`) when the limit is reached.
   */
  tryAcquire(): ConcurrencyPermit | undefined {
    if (this.#inFlight >= this.#limit) {
      if (this.#reject?.active) this.#reject.emit({ name: this.name, limit: this.#limit });
      return undefined;
    }
    this.#inFlight += 1;
    return new Permit(this.#release, this.#now(), this.#inFlight);
  }

  /** The error a refused call fails with. */
  rejection(): ConcurrencyLimitExceededError {
    return new ConcurrencyLimitExceededError(this.name, this.#limit, this.#retryAfterMs);
  }

  /**
   * Runs `fn` in a free slot, or rejects at once with {@link ConcurrencyLimitExceededError}.
   * A result is a success sample, an error matching `isDropped` a drop sample.
   */
  execute<T>(fn: ExecuteFn<T>, signal?: AbortSignal): Promise<T> {
    return this[invoke](fn, contextFor(signal));
  }

  /** Internal entry point used by `wrap`: takes the caller's whole context. */
  [invoke]<T>(fn: ExecuteFn<T>, context: ExecuteContext): Promise<T> {
    const permit = this.tryAcquire();
    if (permit === undefined) return Promise.reject(this.rejection());
    // `then` rather than an async function: no async frame per call (see common/executor.ts).
    const failed = (error: unknown): never => {
      if (this.#isDropped(error)) permit.dropped();
      else permit.ignore();
      throw error;
    };
    let work: T | Promise<T>;
    try {
      work = fn(context);
    } catch (error) {
      // A synchronous throw is settled like a rejection, below.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rethrowing what fn threw
      work = Promise.reject(error);
    }
    return Promise.resolve(work).then((value) => {
      permit.success();
      return value;
    }, failed);
  }

  // One function per limiter, handed to every permit, so releasing needs no public method.
  readonly #release: Release = (startedAt, inFlight, sample) => {
    this.#inFlight -= 1;
    if (sample === 'ignore') return;
    const rttMs = Math.max(0, this.#now() - startedAt);
    const next = this.#algorithm.update({ rttMs, inFlight, dropped: sample === 'dropped' });
    if (next === this.#limit) return;
    const from = this.#limit;
    this.#limit = next;
    if (this.#change?.active) this.#change.emit({ name: this.name, from, to: next });
  };
}

type Sample = 'success' | 'dropped' | 'ignore';
type Release = (startedAt: number, inFlight: number, sample: Sample) => void;

class Permit implements ConcurrencyPermit {
  #release: Release | undefined;
  readonly #startedAt: number;
  readonly #inFlight: number;

  constructor(release: Release, startedAt: number, inFlight: number) {
    this.#release = release;
    this.#startedAt = startedAt;
    this.#inFlight = inFlight;
  }

  success(): void {
    this.#end('success');
  }

  dropped(): void {
    this.#end('dropped');
  }

  ignore(): void {
    this.#end('ignore');
  }

  #end(sample: Sample): void {
    const release = this.#release;
    if (release === undefined) return;
    this.#release = undefined;
    release(this.#startedAt, this.#inFlight, sample);
  }
}
