import { BulkheadRejectedError } from '../../errors/bulkhead-rejected-error.ts';
import { Emitter } from '../common/emitter.ts';
import { contextFor, invoke, neverAborted, type Invocable } from '../common/invoke.ts';
import type { Disposable, ExecuteContext, ExecuteFn, Policy } from '../common/policy.ts';
import { requireInteger, requireNumber } from '../common/validate.ts';
import { WaitQueue } from './wait-queue.ts';

/** Options of {@link Bulkhead}. */
export interface BulkheadOptions {
  /** Calls running at the same time (≥ 1). */
  maxConcurrent: number;
  /** Calls waiting for a slot (≥ 0); more are rejected at once. @default 0 */
  maxQueued?: number;
  /** Longest wait in the queue, in ms; then the call is rejected. @default Infinity (no limit) */
  queueTimeoutMs?: number;
  /** Name in events, errors and metric labels. @default 'bulkhead' */
  name?: string;
}

/** Payload of {@link Bulkhead.onReject}. */
export interface BulkheadRejectEvent {
  readonly name: string;
}

/** What {@link Bulkhead.snapshot} reports. */
export interface BulkheadSnapshot {
  readonly inFlight: number;
  readonly queued: number;
  readonly maxConcurrent: number;
  readonly maxQueued: number;
}

const defaults = { maxQueued: 0, queueTimeoutMs: Infinity, name: 'bulkhead' };

/**
 * Limits concurrent calls, so one slow dependency cannot take every socket, worker or memory
 * of the process. Excess calls wait in a bounded FIFO queue or are rejected with
 * {@link BulkheadRejectedError}. A finishing call hands its slot straight to the oldest waiter.
 */
export class Bulkhead implements Policy, Invocable {
  readonly name: string;
  readonly maxConcurrent: number;
  readonly maxQueued: number;
  readonly #queueTimeoutMs: number;
  readonly #queue = new WaitQueue();
  #inFlight = 0;
  #reject: Emitter<BulkheadRejectEvent> | undefined;

  constructor(options: BulkheadOptions) {
    const o = { ...defaults, ...options };
    requireInteger('maxConcurrent', o.maxConcurrent, 1);
    requireInteger('maxQueued', o.maxQueued, 0);
    if (o.queueTimeoutMs !== Infinity) requireNumber('queueTimeoutMs', o.queueTimeoutMs, 0);
    this.name = o.name;
    this.maxConcurrent = o.maxConcurrent;
    this.maxQueued = o.maxQueued;
    this.#queueTimeoutMs = o.queueTimeoutMs;
  }

  /** Every rejected call (full, or queue timeout elapsed). */
  onReject(listener: (event: BulkheadRejectEvent) => void): Disposable {
    return (this.#reject ??= new Emitter()).subscribe(listener);
  }

  /** Calls running and waiting now. */
  snapshot(): BulkheadSnapshot {
    return {
      inFlight: this.#inFlight,
      queued: this.#queue.size,
      maxConcurrent: this.maxConcurrent,
      maxQueued: this.maxQueued,
    };
  }

  /** Runs `fn` in a free slot, after waiting in the queue if needed. */
  execute<T>(fn: ExecuteFn<T>, signal?: AbortSignal): Promise<T> {
    return this[invoke](fn, contextFor(signal));
  }

  /** Internal entry point used by `wrap`: takes the caller's whole context. */
  [invoke]<T>(fn: ExecuteFn<T>, context: ExecuteContext): Promise<T> {
    if (this.#inFlight < this.maxConcurrent) {
      this.#inFlight++;
      return this.#run(fn, context);
    }
    return this.#wait(context.signal).then(() => this.#run(fn, context));
  }

  /** Runs fn in a slot already taken; the shared handlers below release it. */
  #run<T>(fn: ExecuteFn<T>, context: ExecuteContext): Promise<T> {
    let work: T | Promise<T>;
    try {
      work = fn(context);
    } catch (error) {
      this.#release();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rethrowing what fn threw
      return Promise.reject(error);
    }
    return Promise.resolve(work).then(this.#releasedValue as (value: T) => T, this.#released);
  }

  // One pair of handlers per bulkhead instead of closures per call.
  readonly #releasedValue = (value: unknown): unknown => {
    this.#release();
    return value;
  };

  readonly #released = (error: unknown): never => {
    this.#release();
    throw error;
  };

  /** Hands the slot to the oldest waiter; frees it only when nobody waits. */
  #release(): void {
    if (!this.#queue.grantNext()) this.#inFlight--;
  }

  #wait(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.#queue.size >= this.maxQueued) return Promise.reject(this.#rejection('full'));
    return this.#queue.enqueue(signal === neverAborted ? undefined : signal, this.#queueTimeoutMs, () =>
      this.#rejection('queue_timeout'),
    );
  }

  #rejection(reason: 'full' | 'queue_timeout'): BulkheadRejectedError {
    if (this.#reject?.active) this.#reject.emit({ name: this.name });
    return new BulkheadRejectedError(this.name, reason);
  }
}
