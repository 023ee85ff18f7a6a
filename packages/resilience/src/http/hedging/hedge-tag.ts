import type { AttemptCancel } from '../abort-scope.ts';

/**
 * What an attempt of a hedged round carries: the round cancels it when another attempt wins,
 * and its span learns whether it won.
 */
export interface HedgeTag {
  /** 0 for the round's first attempt, 1 for its first hedge, … */
  readonly index: number;
  /** Registers the attempt's cancel handle (called once the attempt has one). */
  track(cancel: AttemptCancel): void;
  /**
   * Called as the attempt's span ends, with its status (`undefined` for an error): `won` for
   * the attempt whose answer the call takes, `lost` for the others, `undefined` while undecided.
   */
  spanOutcome(status: number | undefined): 'won' | 'lost' | undefined;
}
