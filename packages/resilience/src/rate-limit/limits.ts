import type { RateLimitAlgorithm, RateLimitDecision, RateLimitSettings } from './rate-limiter.ts';
import { rateLimitAlgorithms } from './rate-limiter.ts';

/** Options every limiter shares. */
export interface RateLimiterBaseOptions {
  /** Which algorithm decides (see the README for how to choose). */
  algorithm: RateLimitAlgorithm;
  /** Units admitted per window; for buckets the capacity (burst). A positive integer. */
  limit: number;
  /** Window length in ms; for buckets the time to refill from empty to full. A positive integer. */
  windowMs: number;
  /**
   * Names the limiter in events, metrics and Redis keys. No `{` or `}` (they would break the
   * Redis Cluster hash tag).
   * @default the algorithm name
   */
  name?: string;
}

/** The validated, mutable limits a limiter decides with. */
export interface Limits {
  limit: number;
  windowMs: number;
}

function positiveInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${option} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Validates the base options once, at construction; names the option and the bad value. */
export function validateBase(options: RateLimiterBaseOptions): { name: string; limits: Limits } {
  if (!rateLimitAlgorithms.includes(options.algorithm)) {
    throw new RangeError(
      `algorithm must be one of ${rateLimitAlgorithms.join(', ')}, got ${String(options.algorithm)}`,
    );
  }
  const name = options.name ?? options.algorithm;
  if (typeof name !== 'string' || name === '' || /[{}]/.test(name)) {
    throw new RangeError(`name must be a non-empty string without { or }, got ${String(name)}`);
  }
  const limits = {
    limit: positiveInteger('limit', options.limit),
    windowMs: positiveInteger('windowMs', options.windowMs),
  };
  checkProduct(limits);
  return { name, limits };
}

/** Applies runtime settings to `limits` after validating them (all or nothing). */
export function applySettings(limits: Limits, settings: RateLimitSettings): void {
  const next = {
    limit: settings.limit === undefined ? limits.limit : positiveInteger('limit', settings.limit),
    windowMs:
      settings.windowMs === undefined ? limits.windowMs : positiveInteger('windowMs', settings.windowMs),
  };
  checkProduct(next);
  limits.limit = next.limit;
  limits.windowMs = next.windowMs;
}

// The algorithms scale by limit × windowMs (× cost) in exact integer arithmetic.
function checkProduct({ limit, windowMs }: Limits): void {
  if (limit * windowMs * 2 > Number.MAX_SAFE_INTEGER / 1024) {
    throw new RangeError(`limit × windowMs must stay below 2^42, got ${limit} × ${windowMs}`);
  }
}

/** Validates a cost: a positive integer. */
export function validateCost(cost: number): number {
  return positiveInteger('cost', cost);
}

/** The rejection for a cost that can never fit (`cost > limit`); state is not touched. */
export function oversized(limits: Limits): RateLimitDecision {
  return {
    allowed: false,
    limit: limits.limit,
    remaining: 0,
    resetMs: 0,
    retryAfterMs: limits.windowMs,
  };
}
