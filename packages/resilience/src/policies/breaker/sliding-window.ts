/** Which calls a breaker's failure-rate and slow-call-rate rules look at. */
export type SlidingWindowOptions =
  | {
      /** The last `size` calls. */
      readonly kind: 'count';
      /** Number of calls kept (≥ 1). */
      readonly size: number;
    }
  | {
      /** The calls of the last `durationMs`. */
      readonly kind: 'time';
      /** Window length in ms. */
      readonly durationMs: number;
      /**
       * Buckets the window slides by (≥ 1): the window drops the oldest `durationMs / buckets`
       * at once. More buckets, finer sliding, more memory. @default 10
       */
      readonly buckets?: number;
    };

/**
 * Running totals of recent calls. Internal: each implementation keeps its totals incrementally,
 * so recording and reading cost O(1) (amortised for the time window).
 */
export interface SlidingWindow {
  /** Calls recorded in the window. */
  readonly calls: number;
  /** Failed calls in the window. */
  readonly failures: number;
  /** Slow calls in the window (failed or not). */
  readonly slowCalls: number;
  /** Drops what fell out of the window by `now` (no-op for count windows). */
  advance(now: number): void;
  /** Adds one call. */
  record(now: number, failed: boolean, slow: boolean): void;
  /** Forgets every call. */
  clear(): void;
}
