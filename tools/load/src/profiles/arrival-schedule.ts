import { segmentArrivals, type Segment } from './segment.ts';

/**
 * The intended send times of an open-loop run. Request `i` (0-based) is due at the moment the
 * cumulative arrival count N(t) = ∫ rate reaches `i`, so the first request is due at 0 and a
 * constant rate r gives t_i = i / r. Send times come only from this schedule, never from when
 * responses arrive: that is what makes the load open-loop.
 */
export class ArrivalSchedule {
  /** Total length of the schedule in milliseconds. */
  readonly durationMs: number;
  /** Number of requests due within the schedule: every i with t_i < durationMs. */
  readonly totalRequests: number;
  readonly #segments: readonly Segment[];
  /** Cumulative arrivals before each segment; one more entry than segments. */
  readonly #cumulative: number[];
  /** Start offset of each segment in milliseconds. */
  readonly #starts: number[];

  constructor(segments: readonly Segment[]) {
    if (segments.length === 0) throw new RangeError('a schedule needs at least one segment');
    for (const [index, segment] of segments.entries()) {
      if (!(segment.durationMs > 0)) {
        throw new RangeError(`segment ${index} durationMs must be > 0, got ${segment.durationMs}`);
      }
      if (!(segment.fromRate >= 0) || !(segment.toRate >= 0)) {
        throw new RangeError(
          `segment ${index} rates must be >= 0, got ${segment.fromRate} → ${segment.toRate}`,
        );
      }
    }
    this.#segments = segments;
    this.#cumulative = [0];
    this.#starts = [0];
    for (const segment of segments) {
      this.#cumulative.push(this.#cumulative.at(-1)! + segmentArrivals(segment));
      this.#starts.push(this.#starts.at(-1)! + segment.durationMs);
    }
    this.durationMs = this.#starts.at(-1)!;
    // Floating-point sums can land a hair above an integer (2000.0000000002); that request would
    // be due at the very end, outside the run.
    this.totalRequests = Math.ceil(this.#cumulative.at(-1)! - 1e-9);
  }

  /**
   * The intended send time of request `index`, in ms from the start of the run.
   * Within a segment of length T with rates r0 → r1, N(τ) = r0·τ + (r1 − r0)·τ²/(2T); the
   * inverse uses the cancellation-free root 2n / (r0 + √(r0² + 2n(r1 − r0)/T)).
   */
  intendedOffsetMs(index: number): number {
    if (index < 0 || index >= this.totalRequests) {
      throw new RangeError(`index must be in [0, ${this.totalRequests}), got ${index}`);
    }
    let segmentIndex = 0;
    while (segmentIndex < this.#segments.length - 1 && this.#cumulative[segmentIndex + 1]! <= index) {
      segmentIndex += 1;
    }
    const segment = this.#segments[segmentIndex]!;
    const n = index - this.#cumulative[segmentIndex]!;
    if (n <= 0) return this.#starts[segmentIndex]!;
    const lengthS = segment.durationMs / 1000;
    const r0 = segment.fromRate;
    const slope = (segment.toRate - r0) / lengthS;
    const root = Math.sqrt(Math.max(0, r0 * r0 + 2 * n * slope));
    const tauS = (2 * n) / (r0 + root);
    return this.#starts[segmentIndex]! + tauS * 1000;
  }

  /** The target arrival rate (requests per second) at `offsetMs` from the start. */
  rateAt(offsetMs: number): number {
    for (const [index, segment] of this.#segments.entries()) {
      const start = this.#starts[index]!;
      if (offsetMs < start + segment.durationMs) {
        const fraction = Math.max(0, offsetMs - start) / segment.durationMs;
        return segment.fromRate + (segment.toRate - segment.fromRate) * fraction;
      }
    }
    return 0;
  }

  /** The segments, for printing the profile. */
  get segments(): readonly Segment[] {
    return this.#segments;
  }
}
