import type { SlidingWindow } from './sliding-window.ts';

/**
 * The calls of the last `durationMs`, in `buckets` equal time slices. Slice `k` holds the calls
 * made in `[k × sliceMs, (k + 1) × sliceMs)`; the window keeps the current slice and the
 * `buckets - 1` before it. Internal.
 */
export class TimeWindow implements SlidingWindow {
  calls = 0;
  failures = 0;
  slowCalls = 0;
  readonly #sliceMs: number;
  readonly #calls: Uint32Array;
  readonly #failures: Uint32Array;
  readonly #slow: Uint32Array;
  /** Absolute number of the newest slice; -Infinity before the first call. */
  #head = -Infinity;

  constructor(durationMs: number, buckets: number) {
    this.#sliceMs = durationMs / buckets;
    this.#calls = new Uint32Array(buckets);
    this.#failures = new Uint32Array(buckets);
    this.#slow = new Uint32Array(buckets);
  }

  advance(now: number): void {
    const slice = Math.floor(now / this.#sliceMs);
    if (slice === this.#head) return;
    if (slice < this.#head) {
      // The clock went backwards. Keeping the counts would let them outlive the window by the
      // size of the jump; forgetting them costs at most one window of evidence.
      this.clear();
    } else {
      const size = this.#calls.length;
      const steps = Math.min(size, slice - this.#head);
      for (let i = 1; i <= steps; i++) this.#drop(slot(slice - steps + i, size));
    }
    this.#head = slice;
  }

  record(now: number, failed: boolean, slow: boolean): void {
    this.advance(now);
    const at = slot(this.#head, this.#calls.length);
    this.#calls[at]!++;
    this.calls++;
    if (failed) {
      this.#failures[at]!++;
      this.failures++;
    }
    if (slow) {
      this.#slow[at]!++;
      this.slowCalls++;
    }
  }

  clear(): void {
    this.#calls.fill(0);
    this.#failures.fill(0);
    this.#slow.fill(0);
    this.calls = this.failures = this.slowCalls = 0;
    this.#head = -Infinity;
  }

  #drop(at: number): void {
    this.calls -= this.#calls[at]!;
    this.failures -= this.#failures[at]!;
    this.slowCalls -= this.#slow[at]!;
    this.#calls[at] = this.#failures[at] = this.#slow[at] = 0;
  }
}

/** Ring index of an absolute slice number, also for negative slices (a clock before epoch 0). */
function slot(slice: number, size: number): number {
  return ((slice % size) + size) % size;
}
