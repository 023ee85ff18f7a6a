import { Bulkhead, CircuitBreaker, RetryBudget } from '../policies/index.ts';
import { CancelledByCaller } from './abort-scope.ts';
import { isFailureStatus } from './classify.ts';
import type { EndpointBreakerOptions } from './client-options.ts';
import { breakerDefaults, bulkheadDefaults, retryBudgetDefaults } from './client-defaults.ts';
import type { EndpointBreaker } from './endpoints/endpoint.ts';
import type {
  ClientBulkhead,
  ClientBulkheadOptions,
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
