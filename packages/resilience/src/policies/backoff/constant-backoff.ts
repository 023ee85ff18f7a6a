import { requireNumber } from '../common/validate.ts';
import type { Backoff } from './backoff.ts';

/** The same delay before every step. */
export class ConstantBackoff implements Backoff {
  readonly #delayMs: number;

  /** @param delayMs delay before every step, in ms */
  constructor(delayMs: number) {
    requireNumber('delayMs', delayMs, 0);
    this.#delayMs = delayMs;
  }

  /** See {@link Backoff.delayMs}. */
  delayMs(): number {
    return this.#delayMs;
  }
}
