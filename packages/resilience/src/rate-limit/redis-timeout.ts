/**
 * The error a Redis limiter reports in its `onDegraded` event when Redis did not answer a
 * decision within `timeoutMs`. Not thrown to callers: the fail mode answers instead.
 */
export class RedisTimeoutError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'redis_timeout' as const;
  /** The bound that was exceeded, in ms. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`Redis did not answer the rate-limit decision within ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Settles with `promise`, or rejects with RedisTimeoutError after `timeoutMs` without waiting
 * for it. The late reply is ignored (its effect on Redis, if any, stands: see the README).
 */
export function callWithTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisTimeoutError(timeoutMs)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
