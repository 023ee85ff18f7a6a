/**
 * ioredis options a rate limiter's client needs so that an outage costs at most `timeoutMs`
 * per decision and never replays stale decisions later. Structural (no ioredis import):
 * `new Redis(url, rateLimitRedisOptions())`.
 */
export interface RateLimitRedisClientOptions {
  /** false: a command sent while disconnected fails at once instead of waiting for a reconnect. */
  enableOfflineQueue: boolean;
  /** 0: a command in flight when the connection drops fails instead of being re-sent. */
  maxRetriesPerRequest: number;
  /**
   * ioredis auto-pipelining. Off by default: limiters work with it (tested), but on the
   * benchmark machine it lowered decision throughput (see bench/rate-limit.bench.ts).
   */
  enableAutoPipelining: boolean;
  /** Drops commands a frozen server never answers, so they cannot pile up, in ms. */
  commandTimeout: number;
  /** Bounds connecting to a dead host, in ms. */
  connectTimeout: number;
  /** Reconnects forever with a capped backoff: the limiter recovers by itself. */
  retryStrategy: (attempt: number) => number;
}

/** Options for {@link rateLimitRedisOptions}. */
export interface RateLimitRedisOptionsInput {
  /**
   * Per-command timeout in ms; keep it above the limiter's `timeoutMs`.
   * @default 1000
   */
  commandTimeoutMs?: number;
  /**
   * Longest pause between reconnect attempts, in ms.
   * @default 2000
   */
  maxReconnectDelayMs?: number;
  /**
   * Turn on ioredis auto-pipelining.
   * @default false
   */
  autoPipelining?: boolean;
}

/** Recommended ioredis options for a client used by rate limiters (spread them into yours). */
export function rateLimitRedisOptions(input: RateLimitRedisOptionsInput = {}): RateLimitRedisClientOptions {
  const commandTimeout = input.commandTimeoutMs ?? 1000;
  const maxDelay = input.maxReconnectDelayMs ?? 2000;
  if (!(commandTimeout > 0)) throw new RangeError(`commandTimeoutMs must be > 0, got ${commandTimeout}`);
  if (!(maxDelay > 0)) throw new RangeError(`maxReconnectDelayMs must be > 0, got ${maxDelay}`);
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    enableAutoPipelining: input.autoPipelining ?? false,
    commandTimeout,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay),
  };
}
