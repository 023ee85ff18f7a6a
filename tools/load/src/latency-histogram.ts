import { build, type Histogram } from 'hdr-histogram-js';

/** Percentiles of a latency histogram, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly minMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

/**
 * An HdrHistogram of latencies recorded in microseconds (3 significant digits, so every
 * percentile is within 0.1 % of the true value), tracking up to 1 hour.
 */
export class LatencyHistogram {
  readonly #histogram: Histogram;

  constructor() {
    this.#histogram = build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000,
      numberOfSignificantValueDigits: 3,
      autoResize: false,
    });
  }

  /** Records one latency in milliseconds (clamped to the tracked range). */
  recordMs(ms: number): void {
    this.#histogram.recordValue(Math.min(3_600_000_000, Math.max(1, Math.round(ms * 1000))));
  }

  /** Adds every value of another histogram. */
  add(other: LatencyHistogram): void {
    this.#histogram.add(other.#histogram);
  }

  /** Forgets every value. */
  reset(): void {
    this.#histogram.reset();
  }

  /** How many values were recorded. */
  get count(): number {
    return this.#histogram.totalCount;
  }

  /** The value at a percentile (0–100), in ms; 0 when empty. */
  percentileMs(percentile: number): number {
    return this.count === 0 ? 0 : this.#histogram.getValueAtPercentile(percentile) / 1000;
  }

  /** Count, min, mean, p50/p90/p99/p99.9 and max, in ms. */
  summary(): LatencySummary {
    const h = this.#histogram;
    const empty = h.totalCount === 0;
    return {
      count: h.totalCount,
      minMs: empty ? 0 : h.minNonZeroValue / 1000,
      meanMs: empty ? 0 : h.mean / 1000,
      p50Ms: this.percentileMs(50),
      p90Ms: this.percentileMs(90),
      p99Ms: this.percentileMs(99),
      p999Ms: this.percentileMs(99.9),
      maxMs: empty ? 0 : h.maxValue / 1000,
    };
  }
}
