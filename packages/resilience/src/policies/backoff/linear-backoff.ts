import { requireNumber } from '../common/validate.ts';
import type { Backoff } from './backoff.ts';

/** Options of {@link LinearBackoff}. */
export interface LinearBackoffOptions {
  /** Delay before the first step, in ms. @default 100 */
  initialDelayMs?: number;
  /** Added for every further step, in ms. @default 100 */
  stepMs?: number;
  /** Upper bound of any delay, in ms. @default 30_000 */
  maxDelayMs?: number;
}

const defaults = { initialDelayMs: 100, stepMs: 100, maxDelayMs: 30_000 };

/** `initialDelayMs + (attempt - 1) × stepMs`, capped at `maxDelayMs`. */
export class LinearBackoff implements Backoff {
  readonly #options: Required<LinearBackoffOptions>;

  constructor(options: LinearBackoffOptions = {}) {
    const o = { ...defaults, ...options };
    requireNumber('initialDelayMs', o.initialDelayMs, 0);
    requireNumber('stepMs', o.stepMs, 0);
    requireNumber('maxDelayMs', o.maxDelayMs, 0);
    this.#options = o;
  }

  /** See {@link Backoff.delayMs}. */
  delayMs(attempt: number): number {
    const { initialDelayMs, stepMs, maxDelayMs } = this.#options;
    return Math.min(maxDelayMs, initialDelayMs + (attempt - 1) * stepMs);
  }
}
