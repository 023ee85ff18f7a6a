import type { Endpoint } from './endpoint.ts';

/** Outlier-ejection settings (see `ServiceClientOptions.outlierDetection`). */
export interface OutlierDetectionOptions {
  /**
   * Consecutive failures (transport errors, timeouts, 5xx) that eject an endpoint.
   * @default 5
   */
  consecutiveFailures?: number;
  /**
   * Ejection time of a first ejection, in ms; the n-th recent ejection lasts n times as long.
   * @default 30000
   */
  baseEjectionMs?: number;
  /**
   * Upper bound of one ejection, in ms.
   * @default 300000
   */
  maxEjectionMs?: number;
  /**
   * At most this share of the endpoints (percent, rounded down) is ejected at once. It keeps a
   * sick fleet serving: with one endpoint nothing is ejected (its breaker protects it instead).
   * @default 50
   */
  maxEjectedPercent?: number;
}

/** Defaults of {@link OutlierDetectionOptions}. */
export const outlierDefaults: Required<OutlierDetectionOptions> = {
  consecutiveFailures: 5,
  baseEjectionMs: 30_000,
  maxEjectionMs: 300_000,
  maxEjectedPercent: 50,
};

/** Validates outlier options and returns them merged with defaults. */
export function resolveOutlierOptions(
  options: OutlierDetectionOptions = {},
): Required<OutlierDetectionOptions> {
  const merged = { ...outlierDefaults, ...options };
  if (!Number.isInteger(merged.consecutiveFailures) || merged.consecutiveFailures < 1) {
    throw new RangeError(
      `outlierDetection.consecutiveFailures must be an integer >= 1, got ${merged.consecutiveFailures}`,
    );
  }
  for (const key of ['baseEjectionMs', 'maxEjectionMs'] as const) {
    if (!(merged[key] > 0)) throw new RangeError(`outlierDetection.${key} must be > 0, got ${merged[key]}`);
  }
  if (!(merged.maxEjectedPercent >= 0 && merged.maxEjectedPercent <= 100)) {
    throw new RangeError(
      `outlierDetection.maxEjectedPercent must be in [0, 100], got ${merged.maxEjectedPercent}`,
    );
  }
  return merged;
}

/**
 * Passive health checking: ejects an endpoint after N consecutive failures for a time that
 * grows with each recent ejection, never ejecting more than the allowed share.
 */
export class OutlierDetector {
  readonly #options: Required<OutlierDetectionOptions>;
  readonly #now: () => number;

  constructor(options: Required<OutlierDetectionOptions>, now: () => number) {
    this.#options = options;
    this.#now = now;
  }

  /**
   * Records one attempt's outcome. Returns `'ejected'` when this failure ejected the endpoint.
   * @param all every live endpoint of the upstream, for the max-ejected share
   */
  record(endpoint: Endpoint, ok: boolean, all: readonly Endpoint[]): 'ejected' | undefined {
    const state = endpoint.outlier;
    const now = this.#now();
    if (ok) {
      state.consecutiveFailures = 0;
      // Healthy for a base period since the last return: forget one past ejection.
      if (
        state.ejections > 0 &&
        state.ejectedUntil <= now &&
        now - state.returnedAt >= this.#options.baseEjectionMs
      ) {
        state.ejections -= 1;
        state.returnedAt = now;
      }
      return undefined;
    }
    state.consecutiveFailures += 1;
    if (state.consecutiveFailures < this.#options.consecutiveFailures || state.ejectedUntil > now)
      return undefined;
    const ejected = all.filter((e) => e.outlier.ejectedUntil > now).length;
    if (ejected + 1 > Math.floor((all.length * this.#options.maxEjectedPercent) / 100)) return undefined;
    state.ejections += 1;
    const duration = Math.min(this.#options.baseEjectionMs * state.ejections, this.#options.maxEjectionMs);
    state.ejectedUntil = now + duration;
    state.returnedAt = state.ejectedUntil;
    state.consecutiveFailures = 0;
    return 'ejected';
  }

  /** True while the endpoint is ejected. */
  isEjected(endpoint: Endpoint): boolean {
    return endpoint.outlier.ejectedUntil > this.#now();
  }
}
