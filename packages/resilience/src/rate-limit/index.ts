// Rate limiters: one interface, six algorithms, in memory and on Redis.

// The interface
export {
  rateLimitAlgorithms,
  type RateLimitAlgorithm,
  type RateLimitDecision,
  type RateLimitDecisionEvent,
  type RateLimitDegradedEvent,
  type RateLimiter,
  type RateLimitSettings,
} from './rate-limiter.ts';
export type { RateLimiterBaseOptions } from './limits.ts';

// Limiters
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './memory-rate-limiter.ts';
export {
  RedisRateLimiter,
  type RateLimitFailMode,
  type RedisRateLimiterOptions,
} from './redis-rate-limiter.ts';

// Redis client
export type { RateLimitRedisClient } from './redis-script.ts';
export {
  rateLimitRedisOptions,
  type RateLimitRedisClientOptions,
  type RateLimitRedisOptionsInput,
} from './redis-client-options.ts';
export { RedisTimeoutError } from './redis-timeout.ts';

// HTTP
export {
  rateLimitMiddleware,
  type MiddlewareLimiter,
  type RateLimitKeySource,
  type RateLimitMiddlewareOptions,
  type RateLimitRequest,
  type RateLimitResponse,
} from './express-middleware.ts';
export { rateLimitHeaders, type RateLimitHeaderValues } from './ratelimit-headers.ts';

// Errors
export {
  RateLimitedError,
  isRateLimitedError,
  type RateLimitedErrorOptions,
} from '../errors/rate-limited-error.ts';
