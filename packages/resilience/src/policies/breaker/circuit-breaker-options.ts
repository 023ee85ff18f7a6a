import type { Backoff } from '../backoff/backoff.ts';
import { monotonicNow, requireInteger, requireNumber, requireRatio } from '../common/validate.ts';
import type { SlidingWindowOptions } from './sliding-window.ts';

/**
 * Options of {@link CircuitBreaker}. Trip rules combine: the breaker opens as soon as any
 * configured rule trips. With no rule given, `consecutiveFailures: 5` applies.
 */
export interface CircuitBreakerOptions {
  /** Name in events, errors and metric labels. @default 'breaker' */
  name?: string;
  /** Open after this many failures in a row. @default 5 when no rate rule is set, else off */
  consecutiveFailures?: number;
  /** Open when the failed share of the window's calls reaches this ratio, in (0, 1]. @default off */
  failureRateThreshold?: number;
  /**
   * Open when the slow share of the window's calls reaches this ratio, in (0, 1]. A slow probe
   * in half-open re-opens the breaker while this rule is set. @default off
   */
  slowCallRateThreshold?: number;
  /** A call that runs this long or longer is slow, in ms. @default 60_000 */
  slowCallDurationMs?: number;
  /** Rate rules stay silent until the window holds this many calls. @default 10 */
  minimumCalls?: number;
  /** Which calls the rate rules look at. @default { kind: 'count', size: 100 } */
  window?: SlidingWindowOptions;
  /** How long the breaker stays open before admitting probes, in ms. @default 30_000 */
  openDurationMs?: number;
  /**
   * Grows the open duration: the n-th opening in a row (without the breaker closing in between)
   * lasts `openBackoff.delayMs(n, previous)` ms instead of `openDurationMs`. @default off
   */
  openBackoff?: Backoff;
  /** Probe calls admitted at the same time while half-open. @default 1 */
  halfOpenMaxProbes?: number;
  /** Successful probes that close the breaker; any failed probe re-opens it. @default 1 */
  halfOpenSuccesses?: number;
  /**
   * Which thrown errors count as failures. An error that is not a failure (a 4xx, a validation
   * error: the dependency answered correctly) counts as a success and is rethrown unchanged.
   * @default every error
   */
  isFailure?: (error: unknown) => boolean;
  /** Which returned values count as failures (e.g. a 503 response); they are still returned. @default none */
  isResultFailure?: (result: unknown) => boolean;
  /** Clock in ms; only differences matter. Tests inject a fake one. @default performance.now */
  now?: () => number;
}

/** Options after defaults, validated. Internal. */
export interface ResolvedBreakerOptions {
  readonly name: string;
  readonly consecutiveFailures: number;
  readonly failureRateThreshold: number;
  readonly slowCallRateThreshold: number;
  readonly slowCallDurationMs: number;
  readonly minimumCalls: number;
  readonly window: SlidingWindowOptions | undefined;
  readonly openDurationMs: number;
  readonly openBackoff: Backoff | undefined;
  readonly halfOpenMaxProbes: number;
  readonly halfOpenSuccesses: number;
  readonly isFailure: (error: unknown) => boolean;
  readonly isResultFailure: ((result: unknown) => boolean) | undefined;
  readonly now: () => number;
}

const defaults = {
  name: 'breaker',
  slowCallDurationMs: 60_000,
  minimumCalls: 10,
  window: { kind: 'count', size: 100 } as SlidingWindowOptions,
  openDurationMs: 30_000,
  halfOpenMaxProbes: 1,
  halfOpenSuccesses: 1,
  isFailure: (): boolean => true,
  now: monotonicNow,
};

/**
 * Applies defaults and validates once, at construction. Rules that are off are stored as
 * `Infinity`, so the hot path compares numbers instead of testing for undefined.
 */
export function resolveBreakerOptions(options: CircuitBreakerOptions): ResolvedBreakerOptions {
  const o = { ...defaults, ...options };
  const rateRules = o.failureRateThreshold !== undefined || o.slowCallRateThreshold !== undefined;
  const consecutive = o.consecutiveFailures ?? (rateRules ? Infinity : 5);
  if (consecutive !== Infinity) requireInteger('consecutiveFailures', consecutive, 1);
  if (o.failureRateThreshold !== undefined) requireRatio('failureRateThreshold', o.failureRateThreshold);
  if (o.slowCallRateThreshold !== undefined) requireRatio('slowCallRateThreshold', o.slowCallRateThreshold);
  requireNumber('slowCallDurationMs', o.slowCallDurationMs, 1);
  requireInteger('minimumCalls', o.minimumCalls, 1);
  requireNumber('openDurationMs', o.openDurationMs, 0);
  requireInteger('halfOpenMaxProbes', o.halfOpenMaxProbes, 1);
  requireInteger('halfOpenSuccesses', o.halfOpenSuccesses, 1);
  const window = o.window;
  if (window.kind === 'count') {
    requireInteger('window.size', window.size, 1);
  } else if (window.kind === 'time') {
    requireNumber('window.durationMs', window.durationMs, 1);
    requireInteger('window.buckets', window.buckets ?? 10, 1);
  } else {
    throw new RangeError(
      `window.kind must be 'count' or 'time', got ${String((window as { kind: unknown }).kind)}`,
    );
  }
  return {
    name: o.name,
    consecutiveFailures: consecutive,
    failureRateThreshold: o.failureRateThreshold ?? Infinity,
    slowCallRateThreshold: o.slowCallRateThreshold ?? Infinity,
    slowCallDurationMs: o.slowCallDurationMs,
    minimumCalls: o.minimumCalls,
    // The window exists only when a rate rule reads it: a plain consecutive breaker stays small.
    window: rateRules ? window : undefined,
    openDurationMs: o.openDurationMs,
    openBackoff: o.openBackoff,
    halfOpenMaxProbes: o.halfOpenMaxProbes,
    halfOpenSuccesses: o.halfOpenSuccesses,
    isFailure: o.isFailure,
    isResultFailure: o.isResultFailure,
    now: o.now,
  };
}
