/**
 * A delay curve, shared by retries (delay before retry n) and circuit breakers (open duration
 * after the n-th consecutive opening). Stateless: the previous delay is passed in, so one backoff
 * object serves any number of concurrent retry sequences.
 */
export interface Backoff {
  /**
   * Delay in ms before step `attempt` (1 = first retry or first opening), given the delay used
   * for the step before (0 for the first step).
   */
  delayMs(attempt: number, previousDelayMs: number): number;
}

/** A source of uniform random numbers in [0, 1); injectable so tests can check exact delays. */
export type RandomSource = () => number;
