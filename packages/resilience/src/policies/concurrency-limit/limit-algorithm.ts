import { requireInteger } from '../common/validate.ts';

/** One finished call, as an adaptive limit algorithm sees it. */
export interface LimitSample {
  /** How long the call took, in ms (until it was dropped, for a dropped call). */
  readonly rttMs: number;
  /** Calls in flight when this one started, itself included. */
  readonly inFlight: number;
  /** True when the call signalled overload: it timed out or the upstream shed it (503, 429). */
  readonly dropped: boolean;
}

/**
 * How an adaptive limit moves: fed one sample per finished call, returns the new limit. The
 * built-in ones are {@link AimdLimit} (loss-based) and {@link Gradient2Limit} (latency-based),
 * after Netflix `concurrency-limits`; implement this to plug in another (Vegas, say).
 */
export interface LimitAlgorithm {
  /** Short name for events and docs: `aimd`, `gradient2`. */
  readonly name: string;
  /** The limit before any sample. */
  readonly initialLimit: number;
  /** Feeds one sample; returns the new limit (an integer within the algorithm's bounds). */
  update(sample: LimitSample): number;
}

/** Bounds every built-in algorithm takes. */
export interface LimitBounds {
  /**
   * The limit before any sample, in calls.
   * @default 20
   */
  initialLimit?: number;
  /**
   * The limit never drops below this, in calls (≥ 1), so a few calls always get through and the
   * algorithm keeps seeing samples.
   * @default 1
   */
  minLimit?: number;
  /**
   * The limit never grows beyond this, in calls.
   * @default 200
   */
  maxLimit?: number;
}

/** Defaults of {@link LimitBounds} (Netflix's, except `minLimit`: 1 rather than 20). */
export const limitBoundsDefaults = { initialLimit: 20, minLimit: 1, maxLimit: 200 } as const;

/** Merges and validates the bounds once: integers, `1 ≤ minLimit ≤ initialLimit ≤ maxLimit`. */
export function resolveBounds(options: LimitBounds): Required<LimitBounds> {
  const o = { ...limitBoundsDefaults, ...options };
  requireInteger('minLimit', o.minLimit, 1);
  requireInteger('maxLimit', o.maxLimit, o.minLimit);
  requireInteger('initialLimit', o.initialLimit, o.minLimit);
  if (o.initialLimit > o.maxLimit) {
    throw new RangeError(`initialLimit must be <= maxLimit (${o.maxLimit}), got ${o.initialLimit}`);
  }
  return o;
}

/** `value` clamped into `[min, max]`. */
export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
