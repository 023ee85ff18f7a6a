import { requireNumber } from '../common/validate.ts';
import type { Backoff } from './backoff.ts';

/** Options of {@link ExponentialBackoff}. */
export interface ExponentialBackoffOptions {
  /** Delay before the first step, in ms. @default 100 */
  initialDelayMs?: number;
  /** Growth factor per step (≥ 1). @default 2 */
  factor?: number;
  /** Upper bound of any delay, in ms. @default 30_000 */
  maxDelayMs?: number;
}

const defaults = { initialDelayMs: 100, factor: 2, maxDelayMs: 30_000 };

/**
 * `initialDelayMs × factor^(attempt - 1)`, capped at `maxDelayMs`. Without jitter, clients that
 * failed together retry together; prefer {@link FullJitterBackoff} for calls to shared services.
 */
export class ExponentialBackoff implements Backoff {
  readonly #options: Required<ExponentialBackoffOptions>;

  constructor(options: ExponentialBackoffOptions = {}) {
    const o = { ...defaults, ...options };
    requireNumber('initialDelayMs', o.initialDelayMs, 0);
    requireNumber('factor', o.factor, 1);
    requireNumber('maxDelayMs', o.maxDelayMs, 0);
    this.#options = o;
  }

  /** See {@link Backoff.delayMs}. */
  delayMs(attempt: number): number {
    const { initialDelayMs, factor, maxDelayMs } = this.#options;
    return Math.min(maxDelayMs, initialDelayMs * factor ** (attempt - 1));
  }
}
