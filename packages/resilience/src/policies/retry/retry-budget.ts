import { monotonicNow, requireInteger, requireNumber } from '../common/validate.ts';

/** Options of {@link RetryBudget}. */
export interface RetryBudgetOptions {
  /** Name in events. @default 'retry-budget' */
  name?: string;
  /** Retries allowed per request in the window, ≥ 0 (0.2 = retries add at most 20% load). @default 0.2 */
  ratio?: number;
  /** Retries always allowed per second, even with little traffic, ≥ 0. @default 10 */
  minRetriesPerSecond?: number;
  /** Length of the sliding window the budget counts over, in ms. @default 10_000 */
  windowMs?: number;
  /** Slices the window slides by. @default 10 */
  buckets?: number;
  /** Clock in ms; only differences matter. @default performance.now */
  now?: () => number;
}

/** What {@link RetryBudget.snapshot} reports. */
export interface RetryBudgetSnapshot {
  /** Requests deposited in the window. */
  readonly requests: number;
  /** Retries withdrawn in the window. */
  readonly retries: number;
  /** Further retries the budget would allow right now. */
  readonly available: number;
}

const defaults = {
  name: 'retry-budget',
  ratio: 0.2,
  minRetriesPerSecond: 10,
  windowMs: 10_000,
  buckets: 10,
  now: monotonicNow,
};

/**
 * A retry budget (Finagle `RetryBudget`, Envoy `retry_budget`): over a sliding window, retries
 * may not exceed `ratio × requests + minRetriesPerSecond × windowSeconds`. Per-call attempt
 * limits still multiply load by `maxAttempts` during a full outage; a budget caps the extra load
 * at `ratio`, whatever the number of callers. Share one budget between the retry policies that
 * call the same dependency.
 */
export class RetryBudget {
  readonly name: string;
  readonly #ratio: number;
  readonly #reserve: number;
  readonly #sliceMs: number;
  readonly #now: () => number;
  readonly #requests: Uint32Array;
  readonly #retries: Uint32Array;
  #head = -Infinity;
  #requestTotal = 0;
  #retryTotal = 0;

  constructor(options: RetryBudgetOptions = {}) {
    const o = { ...defaults, ...options };
    requireNumber('ratio', o.ratio, 0);
    requireNumber('minRetriesPerSecond', o.minRetriesPerSecond, 0);
    requireNumber('windowMs', o.windowMs, 1);
    requireInteger('buckets', o.buckets, 1);
    this.name = o.name;
    this.#ratio = o.ratio;
    this.#reserve = (o.minRetriesPerSecond * o.windowMs) / 1000;
    this.#sliceMs = o.windowMs / o.buckets;
    this.#now = o.now;
    this.#requests = new Uint32Array(o.buckets);
    this.#retries = new Uint32Array(o.buckets);
  }

  /** Records one request (a first attempt). Retry policies call it once per `execute`. */
  deposit(): void {
    this.#requests[this.#advance()]!++;
    this.#requestTotal++;
  }

  /** Takes one retry from the budget; false (and nothing taken) when the budget is spent. */
  tryWithdraw(): boolean {
    const at = this.#advance();
    if (this.#retryTotal + 1 > this.#allowance()) return false;
    this.#retries[at]!++;
    this.#retryTotal++;
    return true;
  }

  /** Current window totals. */
  snapshot(): RetryBudgetSnapshot {
    this.#advance();
    return {
      requests: this.#requestTotal,
      retries: this.#retryTotal,
      available: Math.max(0, Math.floor(this.#allowance() - this.#retryTotal)),
    };
  }

  #allowance(): number {
    return this.#ratio * this.#requestTotal + this.#reserve;
  }

  /** Slides the window to now; returns the ring index of the current slice. */
  #advance(): number {
    const size = this.#requests.length;
    const slice = Math.floor(this.#now() / this.#sliceMs);
    if (slice !== this.#head) {
      if (slice < this.#head) {
        // The clock went backwards: forget the window rather than let old counts outlive it.
        this.#requests.fill(0);
        this.#retries.fill(0);
        this.#requestTotal = this.#retryTotal = 0;
      } else {
        const steps = Math.min(size, slice - this.#head);
        for (let i = 1; i <= steps; i++) {
          const at = slot(slice - steps + i, size);
          this.#requestTotal -= this.#requests[at]!;
          this.#retryTotal -= this.#retries[at]!;
          this.#requests[at] = this.#retries[at] = 0;
        }
      }
      this.#head = slice;
    }
    return slot(slice, size);
  }
}

function slot(slice: number, size: number): number {
  return ((slice % size) + size) % size;
}
