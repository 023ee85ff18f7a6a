import {
  Bulkhead,
  CircuitBreaker,
  ConcurrencyLimiter,
  RetryBudget,
  type ConcurrencyLimiterOptions,
} from '../policies/index.ts';
import { CancelledByCaller } from './abort-scope.ts';
import { isFailureStatus } from './classify.ts';
import type { EndpointBreakerOptions } from './client-options.ts';
import { breakerDefaults, bulkheadDefaults, retryBudgetDefaults } from './client-defaults.ts';
import type { EndpointBreaker } from './endpoints/endpoint.ts';
import type {
  ClientBulkhead,
  ClientBulkheadOptions,
  ClientConcurrencyLimiter,
  ClientRetryBudget,
  ClientRetryBudgetOptions,
} from './policy-shapes.ts';
import type { AttemptResult } from './send-attempt.ts';

/**
 * The per-endpoint breaker factory: 5xx answers, transport errors and timeouts are failures;
 * 4xx and 429 are answers from a healthy endpoint. A caller's own abort is not the endpoint's
 * fault either (the client checks the signal before it blames an endpoint).
 */
export function createBreakerFactory(
  service: string,
  options: EndpointBreakerOptions | false | undefined,
  now: () => number,
): ((key: string) => EndpointBreaker) | undefined {
  if (options === false) return undefined;
  const merged = { now, ...breakerDefaults, ...options };
  return (key) =>
    new CircuitBreaker({
      ...merged,
      name: `${service}/${key}`,
      isFailure: (error) => !(error instanceof CancelledByCaller),
      isResultFailure: (result) => isFailureStatus((result as AttemptResult).status),
    });
}

/** The client's retry budget: the given one, or a new policies `RetryBudget`. */
export function createRetryBudget(
  service: string,
  option: ClientRetryBudgetOptions | ClientRetryBudget | undefined,
): ClientRetryBudget {
  if (option !== undefined && 'tryWithdraw' in option) return option;
  return new RetryBudget({ ...retryBudgetDefaults, ...option, name: service });
}

/** The client's bulkhead: the given one, or a new policies `Bulkhead`. */
export function createBulkhead(
  service: string,
  option: ClientBulkheadOptions | ClientBulkhead | undefined,
): ClientBulkhead {
  if (option !== undefined && 'execute' in option) return option;
  return new Bulkhead({ ...bulkheadDefaults, ...option, name: service });
}

/**
 * The client's adaptive concurrency limit: the given limiter, a new policies `ConcurrencyLimiter`
 * named after the service, or none. The client classifies each attempt itself (see the README).
 */
export function createConcurrencyLimiter(
  service: string,
  option: Omit<ConcurrencyLimiterOptions, 'isDropped'> | ClientConcurrencyLimiter | false | undefined,
  now: () => number,
): ClientConcurrencyLimiter | undefined {
  if (option === undefined || option === false) return undefined;
  if ('tryAcquire' in option) return option;
  return new ConcurrencyLimiter({ now, ...option, name: service });
}
