import { requireNumber } from '../common/validate.ts';
import type { Backoff, RandomSource } from './backoff.ts';

/** Options of {@link FullJitterBackoff}. */
export interface FullJitterBackoffOptions {
  /** Exponential base: the upper bound of the first delay, in ms. @default 100 */
  initialDelayMs?: number;
  /** Growth factor of the upper bound per step (≥ 1). @default 2 */
  factor?: number;
  /** Upper bound of any delay, in ms. @default 30_000 */
  maxDelayMs?: number;
  /** Uniform random source in [0, 1). @default Math.random */
  random?: RandomSource;
}

const defaults = { initialDelayMs: 100, factor: 2, maxDelayMs: 30_000, random: Math.random };

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"): a uniform delay in `[0, min(maxDelayMs, initialDelayMs × factor^(attempt - 1)))`.
 * Spreads retries of clients that failed at the same moment.
 */
export class FullJitterBackoff implements Backoff {
  readonly #options: Required<FullJitterBackoffOptions>;

  constructor(options: FullJitterBackoffOptions = {}) {
    const o = { ...defaults, ...options };
    requireNumber('initialDelayMs', o.initialDelayMs, 0);
    requireNumber('factor', o.factor, 1);
    requireNumber('maxDelayMs', o.maxDelayMs, 0);
    this.#options = o;
  }

  /** See {@link Backoff.delayMs}. */
  delayMs(attempt: number): number {
    const { initialDelayMs, factor, maxDelayMs, random } = this.#options;
    return random() * Math.min(maxDelayMs, initialDelayMs * factor ** (attempt - 1));
  }
}
