import { requireAtLeast } from '../require-at-least.ts';
import type { ClientRetryBudget, ClientRetryBudgetOptions } from '../policy-shapes.ts';

/**
 * Hedged requests of a service client (Polly's hedging strategy, gRPC's hedging policy, "The
 * Tail at Scale"'s backup requests): when an attempt has not answered after the hedge delay, a
 * copy goes to another endpoint and the first answer wins; the other attempts are cancelled.
 * Only requests that may be sent twice are hedged (an idempotent method, or an Idempotency-Key).
 */
export interface HedgingOptions {
  /**
   * A fixed hedge delay, in ms. When left out the delay follows the live `percentile` of the
   * upstream's (or the route's) latency.
   * @default none: the live percentile
   */
  delayMs?: number;
  /**
   * The latency percentile that triggers a hedge, in (0, 100): a hedge is sent when an attempt
   * is slower than this share of recent attempts. Read from the last 256 answered attempts.
   * @default 95
   */
  percentile?: number;
  /**
   * Lower bound of the live delay, in ms (a hedge never goes out sooner).
   * @default 10
   */
  minDelayMs?: number;
  /**
   * Upper bound of the live delay, in ms; also the delay while fewer than 20 attempts were seen.
   * @default 1000
   */
  maxDelayMs?: number;
  /**
   * Hedged attempts per call on top of the first one (each to an endpoint not yet used by the
   * call). A failed attempt lets the next hedge go at once, as in gRPC.
   * @default 1
   */
  maxHedges?: number;
  /**
   * What hedges draw from, so that a slow upstream never gets twice the load: by default the
   * client's retry budget (hedges and retries share it), or a budget of their own.
   * @default the client's retry budget
   */
  budget?: ClientRetryBudgetOptions | ClientRetryBudget;
}

/** Defaults of {@link HedgingOptions}. */
export const hedgingDefaults = { percentile: 95, minDelayMs: 10, maxDelayMs: 1_000, maxHedges: 1 } as const;

/** Hedging options after defaults and validation. */
export interface ResolvedHedging {
  readonly delayMs: number | undefined;
  readonly percentile: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxHedges: number;
}

/**
 * Merges {@link hedgingDefaults} and validates once, naming the option and the value.
 * @param prefix option path in messages (`hedging`, or `request.hedging`)
 */
export function resolveHedging(options: HedgingOptions, prefix = 'hedging'): ResolvedHedging {
  const o = { ...hedgingDefaults, ...options };
  if (o.delayMs !== undefined) requireAtLeast(`${prefix}.delayMs`, o.delayMs, 0);
  if (!(typeof o.percentile === 'number' && o.percentile > 0 && o.percentile < 100)) {
    throw new RangeError(`${prefix}.percentile must be in (0, 100), got ${String(o.percentile)}`);
  }
  requireAtLeast(`${prefix}.minDelayMs`, o.minDelayMs, 0);
  requireAtLeast(`${prefix}.maxDelayMs`, o.maxDelayMs, o.minDelayMs);
  requireAtLeast(`${prefix}.maxHedges`, o.maxHedges, 1, true);
  return {
    delayMs: o.delayMs,
    percentile: o.percentile,
    minDelayMs: o.minDelayMs,
    maxDelayMs: o.maxDelayMs,
    maxHedges: o.maxHedges,
  };
}
