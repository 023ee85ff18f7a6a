import type { SlidingWindow } from './sliding-window.ts';

/**
 * The calls of the last `durationMs`, in `buckets` equal time slices. Slice `k` holds the calls
 * made in `[k × sliceMs, (k + 1) × sliceMs)`; the window keeps the current slice and the
 * `buckets - 1` before it. The three counters of every slice share one typed array (calls,
 * failures, slow calls side by side), which keeps a breaker with a time window small. Internal.
 */
export class TimeWindow implements SlidingWindow {
  calls = 0;
  failures = 0;
  slowCalls = 0;
  readonly #sliceMs: number;
  readonly #buckets: number;
  /** `[calls, failures, slowCalls]` per slice. */
  readonly #counts: Uint32Array;
  /** Absolute number of the newest slice; -Infinity before the first call. */
  #head = -Infinity;

  constructor(durationMs: number, buckets: number) {
    this.#sliceMs = durationMs / buckets;
    this.#buckets = buckets;
    this.#counts = new Uint32Array(buckets * 3);
  }

  advance(now: number): void {
    const slice = Math.floor(now / this.#sliceMs);
    if (slice === this.#head) return;
    if (slice < this.#head) {
      // The clock went backwards. Keeping the counts would let them outlive the window by the
      // size of the jump; forgetting them costs at most one window of evidence.
      this.clear();
    } else {
      const steps = Math.min(this.#buckets, slice - this.#head);
      for (let i = 1; i <= steps; i++) this.#drop(slot(slice - steps + i, this.#buckets) * 3);
    }
    this.#head = slice;
  }

  record(now: number, failed: boolean, slow: boolean): void {
    this.advance(now);
    const at = slot(this.#head, this.#buckets) * 3;
    const counts = this.#counts;
    counts[at]!++;
    this.calls++;
    if (failed) {
      counts[at + 1]!++;
      this.failures++;
    }
    if (slow) {
      counts[at + 2]!++;
      this.slowCalls++;
    }
  }

  clear(): void {
    this.#counts.fill(0);
    this.calls = this.failures = this.slowCalls = 0;
    this.#head = -Infinity;
  }

  #drop(at: number): void {
    const counts = this.#counts;
    this.calls -= counts[at]!;
    this.failures -= counts[at + 1]!;
    this.slowCalls -= counts[at + 2]!;
    counts[at] = counts[at + 1] = counts[at + 2] = 0;
  }
}

/** Ring index of an absolute slice number, also for negative slices (a clock before epoch 0). */
function slot(slice: number, size: number): number {
  return ((slice % size) + size) % size;
}
