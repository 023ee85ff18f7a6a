/** The algorithms every limiter in this folder implements, in memory and on Redis alike. */
export type RateLimitAlgorithm =
  'token-bucket' | 'gcra' | 'leaky-bucket' | 'fixed-window' | 'sliding-window-log' | 'sliding-window-counter';

/** Every algorithm name, in documentation order. */
export const rateLimitAlgorithms: readonly RateLimitAlgorithm[] = [
  'token-bucket',
  'gcra',
  'leaky-bucket',
  'fixed-window',
  'sliding-window-log',
  'sliding-window-counter',
];

/**
 * The answer to one `consume(key, cost)` call. All durations are whole milliseconds, rounded
 * up, measured on the clock that decided (the Redis server's clock for Redis limiters).
 */
export interface RateLimitDecision {
  /** True when `cost` units were admitted and deducted; false when nothing was deducted. */
  allowed: boolean;
  /** The configured limit: units admitted per `windowMs` (the bucket capacity for buckets). */
  limit: number;
  /** Whole units still available right after this decision (never negative). */
  remaining: number;
  /**
   * Milliseconds until the key is fully reset: the bucket is full again (token bucket, GCRA,
   * leaky bucket), the current window ends (fixed window), or every admitted unit has left the
   * window (sliding log and counter). 0 when the key holds no usage.
   */
  resetMs: number;
  /**
   * 0 when allowed. Otherwise the milliseconds until this same `cost` could be admitted if no
   * other request consumed meanwhile. A cost above `limit` can never be admitted; its
   * rejection carries `retryAfterMs = windowMs`, a finite hint because limits change at runtime.
   */
  retryAfterMs: number;
}

/** Returned by every `onX` subscribe function. */
export interface Disposable {
  dispose(): void;
}

/** Emitted once per decision, including locally answered ones. */
export interface RateLimitDecisionEvent {
  name: string;
  allowed: boolean;
}

/** Emitted when a Redis limiter enters (`degraded: true`) or leaves its fail mode. */
export interface RateLimitDegradedEvent {
  name: string;
  degraded: boolean;
  /** The failure that started the degradation (only when `degraded` is true). */
  error?: unknown;
}

/** New limits for {@link RateLimiter.setLimits}; omitted fields keep their value. */
export interface RateLimitSettings {
  /** Units admitted per window (bucket capacity); a positive integer. */
  limit?: number;
  /** The window (refill period for buckets) in ms; a positive integer. */
  windowMs?: number;
}

/** One interface for every limiter, in memory or on Redis. */
export interface RateLimiter {
  /** Names the limiter in events, metrics and Redis keys. */
  readonly name: string;
  readonly algorithm: RateLimitAlgorithm;
  /** Current limit (see {@link RateLimitDecision.limit}). */
  readonly limit: number;
  /** Current window in ms. */
  readonly windowMs: number;
  /** True while a Redis limiter answers from its fail mode; always false in memory. */
  readonly degraded: boolean;
  /**
   * Tries to take `cost` units for `key`. Never rejects for backend failures (Redis limiters
   * answer from their fail mode); throws a RangeError for a cost that is not a positive integer.
   */
  consume(key: string, cost?: number): Promise<RateLimitDecision>;
  /** Changes the limit and/or window at runtime (e.g. from a config reload); validated. */
  setLimits(settings: RateLimitSettings): void;
  onDecision(listener: (event: RateLimitDecisionEvent) => void): Disposable;
  onDegraded(listener: (event: RateLimitDegradedEvent) => void): Disposable;
}
