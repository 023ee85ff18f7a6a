import { requireNumber } from '../common/validate.ts';
import type { Backoff, RandomSource } from './backoff.ts';

/** Options of {@link DecorrelatedJitterBackoff}. */
export interface DecorrelatedJitterBackoffOptions {
  /** Smallest delay and the first step's delay bound base, in ms. @default 100 */
  initialDelayMs?: number;
  /** Upper bound of any delay, in ms. @default 30_000 */
  maxDelayMs?: number;
  /** Uniform random source in [0, 1). @default Math.random */
  random?: RandomSource;
}

const defaults = { initialDelayMs: 100, maxDelayMs: 30_000, random: Math.random };

/**
 * Decorrelated jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * `min(maxDelayMs, uniform(initialDelayMs, previousDelayMs × 3))`, with the previous delay taken
 * as `initialDelayMs` before the first step. Each delay grows from the last one actually used.
 */
export class DecorrelatedJitterBackoff implements Backoff {
  readonly #options: Required<DecorrelatedJitterBackoffOptions>;

  constructor(options: DecorrelatedJitterBackoffOptions = {}) {
    const o = { ...defaults, ...options };
    requireNumber('initialDelayMs', o.initialDelayMs, 0);
    requireNumber('maxDelayMs', o.maxDelayMs, 0);
    this.#options = o;
  }

  /** See {@link Backoff.delayMs}. */
  delayMs(_attempt: number, previousDelayMs: number): number {
    const { initialDelayMs, maxDelayMs, random } = this.#options;
    const previous = Math.max(initialDelayMs, previousDelayMs);
    return Math.min(maxDelayMs, initialDelayMs + random() * (previous * 3 - initialDelayMs));
  }
}
