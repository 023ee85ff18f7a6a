/** Samples a {@link LatencyWindow} keeps. */
const size = 256;
/** Samples before the window's percentile is trusted. */
export const minSamples = 20;
/** The percentile is recomputed every this many samples (sorting 256 numbers per call would cost more than the call). */
const recomputeEvery = 16;

/**
 * The latency of the last 256 answered attempts of one upstream (or route), and one percentile
 * of it, recomputed every 16 samples: the live hedge delay.
 */
export class LatencyWindow {
  readonly #samples = new Float64Array(size);
  readonly #percentile: number;
  #count = 0;
  #next = 0;
  #value: number | undefined;

  /** @param percentile in (0, 100) */
  constructor(percentile: number) {
    this.#percentile = percentile;
  }

  /** Adds one latency, in ms. */
  add(ms: number): void {
    this.#samples[this.#next] = ms;
    this.#next = (this.#next + 1) % size;
    this.#count += 1;
    if (this.#count >= minSamples && (this.#value === undefined || this.#count % recomputeEvery === 0)) {
      this.#value = this.#compute();
    }
  }

  /** The percentile in ms, or `undefined` while fewer than {@link minSamples} were added. */
  get value(): number | undefined {
    return this.#value;
  }

  #compute(): number {
    const n = Math.min(this.#count, size);
    const sorted = this.#samples.slice(0, n).sort();
    return sorted[Math.min(n - 1, Math.ceil((this.#percentile / 100) * n) - 1)]!;
  }
}
