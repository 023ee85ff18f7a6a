// Policies of @shipshape/resilience, grouped by area. Internals (executor, invoke, emitter,
// windows, sleep) are deliberately not exported.

// Contract
export type { Disposable, ExecuteContext, ExecuteFn, Policy } from './common/policy.ts';

// Errors
export { BrokenCircuitError, isBrokenCircuitError } from '../errors/broken-circuit-error.ts';
export { BulkheadRejectedError, isBulkheadRejectedError } from '../errors/bulkhead-rejected-error.ts';
export { TimeoutError, isTimeoutError } from '../errors/timeout-error.ts';
export {
  ConcurrencyLimitExceededError,
  isConcurrencyLimitExceededError,
} from '../errors/concurrency-limit-exceeded-error.ts';
export {
  RetryBudgetExhaustedError,
  isRetryBudgetExhaustedError,
} from '../errors/retry-budget-exhausted-error.ts';

// Backoff
export type { Backoff, RandomSource } from './backoff/backoff.ts';
export { ConstantBackoff } from './backoff/constant-backoff.ts';
export { LinearBackoff, type LinearBackoffOptions } from './backoff/linear-backoff.ts';
export { ExponentialBackoff, type ExponentialBackoffOptions } from './backoff/exponential-backoff.ts';
export { FullJitterBackoff, type FullJitterBackoffOptions } from './backoff/full-jitter-backoff.ts';
export {
  DecorrelatedJitterBackoff,
  type DecorrelatedJitterBackoffOptions,
} from './backoff/decorrelated-jitter-backoff.ts';

// Circuit breaker
export {
  CircuitBreaker,
  type BreakerFailureEvent,
  type BreakerRejectEvent,
  type BreakerStateChangeEvent,
  type BreakerSuccessEvent,
  type CircuitBreakerSnapshot,
} from './breaker/circuit-breaker.ts';
export type { CircuitBreakerOptions } from './breaker/circuit-breaker-options.ts';
export type { BreakerStateName } from './breaker/breaker-state.ts';
export type { SlidingWindowOptions } from './breaker/sliding-window.ts';

// Retry
export { Retry, type BudgetExhaustedEvent, type GiveUpEvent, type RetryEvent } from './retry/retry.ts';
export type { RetryOptions } from './retry/retry-options.ts';
export { RetryBudget, type RetryBudgetOptions, type RetryBudgetSnapshot } from './retry/retry-budget.ts';

// Timeout
export { Timeout, type TimeoutEvent, type TimeoutOptions } from './timeout/timeout.ts';

// Bulkhead
export {
  Bulkhead,
  type BulkheadOptions,
  type BulkheadRejectEvent,
  type BulkheadSnapshot,
} from './bulkhead/bulkhead.ts';

// Adaptive concurrency limit
export {
  ConcurrencyLimiter,
  type ConcurrencyLimiterOptions,
  type ConcurrencyLimiterSnapshot,
  type ConcurrencyLimitChangeEvent,
  type ConcurrencyLimitRejectEvent,
  type ConcurrencyPermit,
} from './concurrency-limit/concurrency-limiter.ts';
export type { LimitAlgorithm, LimitBounds, LimitSample } from './concurrency-limit/limit-algorithm.ts';
export { AimdLimit, type AimdLimitOptions } from './concurrency-limit/aimd-limit.ts';
export { Gradient2Limit, type Gradient2LimitOptions } from './concurrency-limit/gradient2-limit.ts';
export {
  createLimitAlgorithm,
  type LimitAlgorithmName,
  type LimitAlgorithmOptions,
} from './concurrency-limit/create-limit-algorithm.ts';

// Fallback
export {
  Fallback,
  type FallbackEvent,
  type FallbackFailure,
  type FallbackOptions,
} from './fallback/fallback.ts';

// Composition
export { PolicyWrap, wrap } from './wrap/wrap.ts';
