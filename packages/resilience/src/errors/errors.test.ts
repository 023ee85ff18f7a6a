import { describe, expect, it } from 'vitest';
import { errorBrand } from './brand.ts';
import { BrokenCircuitError, isBrokenCircuitError } from './broken-circuit-error.ts';
import { BulkheadRejectedError, isBulkheadRejectedError } from './bulkhead-rejected-error.ts';
import {
  ConcurrencyLimitExceededError,
  isConcurrencyLimitExceededError,
} from './concurrency-limit-exceeded-error.ts';
import { isRetryBudgetExhaustedError, RetryBudgetExhaustedError } from './retry-budget-exhausted-error.ts';
import { isTimeoutError, TimeoutError } from './timeout-error.ts';

const cases = [
  {
    make: () => new BrokenCircuitError('users', 'open', 500),
    guard: isBrokenCircuitError,
    code: 'circuit_open',
    name: 'BrokenCircuitError',
  },
  {
    make: () => new BulkheadRejectedError('db', 'full'),
    guard: isBulkheadRejectedError,
    code: 'bulkhead_rejected',
    name: 'BulkheadRejectedError',
  },
  {
    make: () => new ConcurrencyLimitExceededError('payment', 12, 100),
    guard: isConcurrencyLimitExceededError,
    code: 'concurrency_limited',
    name: 'ConcurrencyLimitExceededError',
  },
  { make: () => new TimeoutError('call', 250), guard: isTimeoutError, code: 'timeout', name: 'TimeoutError' },
  {
    make: () => new RetryBudgetExhaustedError('retry', 2, new Error('x')),
    guard: isRetryBudgetExhaustedError,
    code: 'retry_budget_exhausted',
    name: 'RetryBudgetExhaustedError',
  },
] as const;

describe('policy errors', () => {
  for (const c of cases) {
    it(`${c.name} has name, stable code and is recognised by its guard`, () => {
      const error = c.make();
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(c.name);
      expect(error.code).toBe(c.code);
      expect(c.guard(error)).toBe(true);
    });

    it(`${c.name} guard recognises a copy from another module instance by its brand`, () => {
      const foreign = Object.assign(new Error('other copy'), { [errorBrand]: c.name });
      expect(c.guard(foreign)).toBe(true);
    });
  }

  it('guards reject the other classes, plain errors and non-objects', () => {
    for (const c of cases) {
      for (const other of cases) if (other !== c) expect(c.guard(other.make())).toBe(false);
      expect(c.guard(new Error('plain'))).toBe(false);
      expect(c.guard(undefined)).toBe(false);
      expect(c.guard('circuit_open')).toBe(false);
    }
  });

  it('BrokenCircuitError carries breaker, state and retry-after', () => {
    const error = new BrokenCircuitError('users', 'open', 1500);
    expect([error.breaker, error.state, error.retryAfterMs]).toEqual(['users', 'open', 1500]);
  });

  it('ConcurrencyLimitExceededError carries limiter, limit and retry-after', () => {
    const error = new ConcurrencyLimitExceededError('payment', 12, 100);
    expect([error.limiter, error.limit, error.retryAfterMs]).toEqual(['payment', 12, 100]);
  });

  it('RetryBudgetExhaustedError keeps the failure it would have retried as cause', () => {
    const cause = new Error('503');
    expect(new RetryBudgetExhaustedError('retry', 3, cause).cause).toBe(cause);
  });

  it('the brand is a non-enumerable own property, so spreading or logging does not copy it', () => {
    const descriptor = Object.getOwnPropertyDescriptor(new TimeoutError('t', 1), errorBrand);
    expect(descriptor?.value).toBe('TimeoutError');
    expect(descriptor?.enumerable).toBe(false);
  });
});
