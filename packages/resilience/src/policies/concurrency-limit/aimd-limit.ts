import { requireNumber } from '../common/validate.ts';
import {
  clamp,
  resolveBounds,
  type LimitAlgorithm,
  type LimitBounds,
  type LimitSample,
} from './limit-algorithm.ts';

/** Options of {@link AimdLimit}. */
export interface AimdLimitOptions extends LimitBounds {
  /**
   * Factor the limit is multiplied by after a dropped call, in (0, 1).
   * @default 0.9
   */
  backoffRatio?: number;
  /**
   * A call slower than this counts as dropped, in ms.
   * @default 5000
   */
  latencyThresholdMs?: number;
}

const defaults = { backoffRatio: 0.9, latencyThresholdMs: 5_000 };

/**
 * Additive increase, multiplicative decrease (TCP Reno's congestion window, Netflix
 * `AIMDLimit`): +1 per successful call while at least half the limit is in use, × `backoffRatio`
 * per dropped call (a timeout, a 503, a call over `latencyThresholdMs`). Simple and robust, but it
 * only learns from loss: latency grows until calls time out or the upstream sheds.
 */
export class AimdLimit implements LimitAlgorithm {
  readonly name = 'aimd';
  readonly initialLimit: number;
  readonly #bounds: Required<LimitBounds>;
  readonly #backoffRatio: number;
  readonly #latencyThresholdMs: number;
  #limit: number;

  constructor(options: AimdLimitOptions = {}) {
    const bounds = resolveBounds(options);
    const o = { ...defaults, ...options };
    if (!(o.backoffRatio > 0 && o.backoffRatio < 1)) {
      throw new RangeError(`backoffRatio must be in (0, 1), got ${String(o.backoffRatio)}`);
    }
    requireNumber('latencyThresholdMs', o.latencyThresholdMs, 0);
    this.initialLimit = bounds.initialLimit;
    this.#bounds = bounds;
    this.#backoffRatio = o.backoffRatio;
    this.#latencyThresholdMs = o.latencyThresholdMs;
    this.#limit = bounds.initialLimit;
  }

  update(sample: LimitSample): number {
    if (sample.dropped || sample.rttMs > this.#latencyThresholdMs) {
      this.#limit = clamp(
        Math.floor(this.#limit * this.#backoffRatio),
        this.#bounds.minLimit,
        this.#bounds.maxLimit,
      );
    } else if (sample.inFlight * 2 >= this.#limit) {
      this.#limit = clamp(this.#limit + 1, this.#bounds.minLimit, this.#bounds.maxLimit);
    }
    return this.#limit;
  }
}
