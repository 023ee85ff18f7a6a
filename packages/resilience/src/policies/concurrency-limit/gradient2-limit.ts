import { requireInteger, requireNumber } from '../common/validate.ts';
import {
  clamp,
  resolveBounds,
  type LimitAlgorithm,
  type LimitBounds,
  type LimitSample,
} from './limit-algorithm.ts';

/** Options of {@link Gradient2Limit}. */
export interface Gradient2LimitOptions extends LimitBounds {
  /**
   * How far a new estimate moves the limit, in (0, 1]: `limit = limit × (1 − s) + estimate × s`.
   * Lower is steadier and slower.
   * @default 0.2
   */
  smoothing?: number;
  /**
   * How much slower than the long-term latency a call may be before the limit shrinks (1.5: up
   * to 50 % slower is still "no queue").
   * @default 1.5
   */
  rttTolerance?: number;
  /**
   * Calls the long-term latency average spans (an exponential moving average over this many
   * samples, after a plain average of the first 10).
   * @default 600
   */
  longWindow?: number;
  /**
   * Calls the limit is allowed to queue at the upstream on top of the estimate, so it keeps
   * probing for more capacity.
   * @default 4
   */
  queueSize?: number;
}

const defaults = { smoothing: 0.2, rttTolerance: 1.5, longWindow: 600, queueSize: 4 };
const warmupSamples = 10;

/**
 * Netflix `Gradient2Limit`: compares each call's latency with a long-term average and scales the
 * limit by the gradient `clamp(rttTolerance × longRtt / rtt, 0.5, 1)`, plus `queueSize`, smoothed.
 * While calls are as fast as usual the limit grows by about `queueSize × smoothing` per call;
 * when a queue forms upstream (calls slower than `rttTolerance ×` usual) it shrinks, at most
 * halving per call before smoothing. It does not grow while less than half of it is in use
 * (the caller, not the upstream, is the bottleneck then). Dropped calls count by their latency
 * only; use {@link AimdLimit} for an upstream that sheds instead of slowing down.
 */
export class Gradient2Limit implements LimitAlgorithm {
  readonly name = 'gradient2';
  readonly initialLimit: number;
  readonly #bounds: Required<LimitBounds>;
  readonly #smoothing: number;
  readonly #tolerance: number;
  readonly #queueSize: number;
  readonly #longFactor: number;
  #estimate: number;
  #longRtt = 0;
  #samples = 0;

  constructor(options: Gradient2LimitOptions = {}) {
    const bounds = resolveBounds(options);
    const o = { ...defaults, ...options };
    if (!(o.smoothing > 0 && o.smoothing <= 1)) {
      throw new RangeError(`smoothing must be in (0, 1], got ${String(o.smoothing)}`);
    }
    requireNumber('rttTolerance', o.rttTolerance, 1);
    requireInteger('longWindow', o.longWindow, 1);
    requireNumber('queueSize', o.queueSize, 0);
    this.initialLimit = bounds.initialLimit;
    this.#bounds = bounds;
    this.#smoothing = o.smoothing;
    this.#tolerance = o.rttTolerance;
    this.#queueSize = o.queueSize;
    this.#longFactor = 2 / (o.longWindow + 1);
    this.#estimate = bounds.initialLimit;
  }

  /** The long-term latency average, in ms (0 before the first sample). */
  get longRttMs(): number {
    return this.#longRtt;
  }

  update(sample: LimitSample): number {
    // A zero latency (a coarse clock) would make the gradient infinite; 1 µs keeps it finite.
    const rtt = Math.max(sample.rttMs, 0.001);
    this.#addLongRtt(rtt);
    // After an overload the average is still high while calls are fast again: let it come down
    // faster, or the limit would grow far beyond what the upstream can take.
    if (this.#longRtt / rtt > 2) this.#longRtt *= 0.95;
    if (sample.inFlight < this.#estimate / 2) return Math.floor(this.#estimate);
    const gradient = clamp((this.#tolerance * this.#longRtt) / rtt, 0.5, 1);
    const target = this.#estimate * gradient + this.#queueSize;
    const smoothed = this.#estimate * (1 - this.#smoothing) + target * this.#smoothing;
    this.#estimate = clamp(smoothed, this.#bounds.minLimit, this.#bounds.maxLimit);
    return Math.floor(this.#estimate);
  }

  #addLongRtt(rtt: number): void {
    if (this.#samples < warmupSamples) {
      this.#samples += 1;
      this.#longRtt += (rtt - this.#longRtt) / this.#samples;
    } else {
      this.#longRtt += (rtt - this.#longRtt) * this.#longFactor;
    }
  }
}
