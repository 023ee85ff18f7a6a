/** The header that carries the remaining deadline between services, in whole milliseconds. */
export const DEADLINE_HEADER = 'x-request-timeout-ms';

/**
 * An absolute point in time after which no work for a request may start. Built once per call
 * from the total timeout; every attempt, backoff and downstream header derives from it, so the
 * budget can only shrink along a call chain.
 */
export class Deadline {
  /** The budget this deadline started with, in ms. */
  readonly budgetMs: number;
  readonly #at: number;
  readonly #now: () => number;

  /**
   * @param budgetMs total budget from now, in ms
   * @param now monotonic clock in ms (default `performance.now`)
   */
  constructor(budgetMs: number, now: () => number) {
    this.budgetMs = budgetMs;
    this.#now = now;
    this.#at = now() + budgetMs;
  }

  /** Milliseconds left, never negative. */
  remainingMs(): number {
    return Math.max(0, this.#at - this.#now());
  }

  /** True once less than 1 ms is left: the header carries whole ms, and 0 means "too late". */
  get expired(): boolean {
    return this.#at - this.#now() < 1;
  }
}

/**
 * Reads an inbound `x-request-timeout-ms` header (node/express/undici header objects) and
 * returns the budget in ms, or `undefined` when absent or malformed. Servers pass it as the
 * `timeoutMs` of their own downstream calls (minus what they already spent) so deadlines
 * shrink across hops.
 */
export function readDeadlineHeader(
  headers: Record<string, string | string[] | undefined>,
): number | undefined {
  const raw = headers[DEADLINE_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
