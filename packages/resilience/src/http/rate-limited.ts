import { RateLimitedError } from '../errors/rate-limited-error.ts';

/** The error of a call refused by a rate limit: the upstream's 429, or the outbound limiter. */
export function createRateLimitedError(
  source: string,
  retryAfterMs: number,
  details: unknown,
): RateLimitedError {
  return new RateLimitedError(retryAfterMs, { source, details });
}
