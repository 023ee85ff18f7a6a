import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrokenCircuitError } from '../../errors/broken-circuit-error.ts';
import { isRetryBudgetExhaustedError } from '../../errors/retry-budget-exhausted-error.ts';
import { ConstantBackoff } from '../backoff/constant-backoff.ts';
import { DecorrelatedJitterBackoff } from '../backoff/decorrelated-jitter-backoff.ts';
import { FullJitterBackoff } from '../backoff/full-jitter-backoff.ts';
import { ExponentialBackoff } from '../backoff/exponential-backoff.ts';
import { FakeClock } from '../common/clock.test-helper.ts';
import { Retry } from './retry.ts';
import { RetryBudget } from './retry-budget.ts';

const coded = (code: string, extra: object = {}) => Object.assign(new Error(code), { code }, extra);

/** A function failing `failures` times with `error`, then returning 'ok'; records ctx.attempt. */
function flaky(failures: number, error: Error = coded('ECONNRESET')) {
  const attempts: number[] = [];
  const fn = ({ attempt }: { attempt: number }): Promise<string> => {
    attempts.push(attempt);
    return attempts.length <= failures ? Promise.reject(error) : Promise.resolve('ok');
  };
  return { fn, attempts };
}

function record(retry: Retry) {
  const events: string[] = [];
  retry.onRetry((e) => events.push(`retry ${e.name} #${e.attempt} ${e.delayMs}ms ${e.reason}`));
  retry.onGiveUp((e) => events.push(`give-up ${e.name} after ${e.attempts} ${e.reason}`));
  retry.onBudgetExhausted((e) => events.push(`budget ${e.name}`));
  return events;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Retry', () => {
  it('retries until success, passing the attempt number, with the backoff delays', async () => {
    const retry = new Retry({ maxAttempts: 4, backoff: new ExponentialBackoff({ initialDelayMs: 100 }) });
    const events = record(retry);
    const { fn, attempts } = flaky(2);
    const result = retry.execute(fn);
    await vi.advanceTimersByTimeAsync(99);
    expect(attempts).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(200);
    await expect(result).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    expect(events).toEqual(['retry retry #2 100ms ECONNRESET', 'retry retry #3 200ms ECONNRESET']);
  });

  it('gives up after maxAttempts and rethrows the last error', async () => {
    const retry = new Retry({ maxAttempts: 3, backoff: new ConstantBackoff(10) });
    const events = record(retry);
    const error = new Error('down');
    const { fn, attempts } = flaky(5, error);
    const result = retry.execute(fn).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await result).toBe(error);
    expect(attempts).toEqual([1, 2, 3]);
    expect(events.at(-1)).toBe('give-up retry after 3 error');
  });

  it('does not retry errors retryOn rejects, and emits no give-up for them', async () => {
    const retry = new Retry({ retryOn: (e) => (e as { code?: string }).code !== 'EINVAL' });
    const events = record(retry);
    const { fn, attempts } = flaky(5, coded('EINVAL'));
    await expect(retry.execute(fn)).rejects.toMatchObject({ code: 'EINVAL' });
    expect(attempts).toEqual([1]);
    expect(events).toEqual([]);
  });

  it('does not retry BrokenCircuitError by default', async () => {
    const retry = new Retry();
    const { fn, attempts } = flaky(5, new BrokenCircuitError('b', 'open', 100));
    await expect(retry.execute(fn)).rejects.toMatchObject({ code: 'circuit_open' });
    expect(attempts).toEqual([1]);
  });

  it('retries results matching retryOnResult and returns the last one when giving up', async () => {
    const retry = new Retry({
      maxAttempts: 2,
      backoff: new ConstantBackoff(5),
      retryOnResult: (r) => r === 503,
    });
    const events = record(retry);
    const result = retry.execute(() => 503);
    await vi.advanceTimersByTimeAsync(5);
    await expect(result).resolves.toBe(503);
    expect(events).toEqual(['retry retry #2 5ms result', 'give-up retry after 2 result']);
  });

  it('caps backoff delays at maxDelayMs', async () => {
    const retry = new Retry({ maxAttempts: 2, backoff: new ConstantBackoff(5_000), maxDelayMs: 300 });
    const events = record(retry);
    const result = retry.execute(flaky(1).fn);
    await vi.advanceTimersByTimeAsync(300);
    await expect(result).resolves.toBe('ok');
    expect(events).toEqual(['retry retry #2 300ms ECONNRESET']);
  });

  it('waits a server-guided retryAfterMs, never less than asked, even above maxDelayMs', async () => {
    const retry = new Retry({ maxAttempts: 2, backoff: new ConstantBackoff(10), maxDelayMs: 100 });
    const events = record(retry);
    const { fn, attempts } = flaky(1, coded('rate_limited', { retryAfterMs: 1_500 }));
    const result = retry.execute(fn);
    await vi.advanceTimersByTimeAsync(1_499);
    expect(attempts).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('ok');
    expect(events).toEqual(['retry retry #2 1500ms rate_limited']);
  });

  it('keeps the backoff delay when it is longer than retryAfterMs', async () => {
    const retry = new Retry({ maxAttempts: 2, backoff: new ConstantBackoff(400) });
    const events = record(retry);
    const result = retry.execute(flaky(1, coded('http_503', { retryAfterMs: 100 })).fn);
    await vi.advanceTimersByTimeAsync(400);
    await expect(result).resolves.toBe('ok');
    expect(events).toEqual(['retry retry #2 400ms http_503']);
  });

  it('gives up instead of retrying early when retryAfterMs exceeds maxRetryAfterMs', async () => {
    const retry = new Retry({ maxAttempts: 5, maxRetryAfterMs: 1_000 });
    const events = record(retry);
    const { fn, attempts } = flaky(1, coded('http_429', { retryAfterMs: 1_001 }));
    await expect(retry.execute(fn)).rejects.toMatchObject({ code: 'http_429' });
    expect(attempts).toEqual([1]);
    expect(events).toEqual(['give-up retry after 1 http_429']);
  });

  it('ends a backoff sleep at once when the signal aborts, leaving no timer', async () => {
    const retry = new Retry({ maxAttempts: 3, backoff: new ConstantBackoff(60_000) });
    const controller = new AbortController();
    const { fn, attempts } = flaky(5);
    const result = retry.execute(fn, controller.signal).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort(new Error('caller gone'));
    expect(await result).toMatchObject({ message: 'caller gone' });
    expect(vi.getTimerCount()).toBe(0);
    expect(attempts).toEqual([1]);
  });

  it('does not retry once the caller signal has aborted', async () => {
    const retry = new Retry({ backoff: new ConstantBackoff(1) });
    const controller = new AbortController();
    const attempts: number[] = [];
    const result = retry.execute(({ attempt }) => {
      attempts.push(attempt);
      controller.abort();
      throw new Error('aborted work');
    }, controller.signal);
    await expect(result).rejects.toThrow('aborted work');
    expect(attempts).toEqual([1]);
  });

  it('sleeps the exact full-jitter delays of a seeded random source', async () => {
    const randoms = [0.5, 0.25, 1];
    const retry = new Retry({
      maxAttempts: 4,
      backoff: new FullJitterBackoff({ initialDelayMs: 100, random: () => randoms.shift()! }),
    });
    const events = record(retry);
    const result = retry.execute(flaky(3).fn);
    await vi.advanceTimersByTimeAsync(50 + 50 + 400);
    await expect(result).resolves.toBe('ok');
    expect(events).toEqual([
      'retry retry #2 50ms ECONNRESET',
      'retry retry #3 50ms ECONNRESET',
      'retry retry #4 400ms ECONNRESET',
    ]);
  });

  it('feeds each decorrelated-jitter delay into the next one', async () => {
    const retry = new Retry({
      maxAttempts: 4,
      backoff: new DecorrelatedJitterBackoff({ initialDelayMs: 100, maxDelayMs: 10_000, random: () => 1 }),
    });
    const events = record(retry);
    const result = retry.execute(flaky(3).fn);
    await vi.advanceTimersByTimeAsync(300 + 900 + 2_700);
    await expect(result).resolves.toBe('ok');
    // previous delay × 3 each time: 100 → 300 → 900 → 2700
    expect(events).toEqual([
      'retry retry #2 300ms ECONNRESET',
      'retry retry #3 900ms ECONNRESET',
      'retry retry #4 2700ms ECONNRESET',
    ]);
  });

  it('rejects with the caller reason, without an attempt, when the signal is already aborted', async () => {
    let attempts = 0;
    const result = new Retry().execute(() => ++attempts, AbortSignal.abort(new Error('gone')));
    await expect(result).rejects.toThrow('gone');
    expect(attempts).toBe(0);
  });

  it('validates options', () => {
    expect(() => new Retry({ maxAttempts: 0 })).toThrow('maxAttempts must be an integer >= 1, got 0');
    expect(() => new Retry({ maxDelayMs: -5 })).toThrow('maxDelayMs');
  });
});

describe('Retry with a budget', () => {
  function budgeted(budget: RetryBudget, name: string) {
    return new Retry({ name, maxAttempts: 3, backoff: new ConstantBackoff(0), budget });
  }

  it('throws RetryBudgetExhaustedError with the failure as cause when the budget is spent', async () => {
    const budget = new RetryBudget({
      ratio: 0,
      minRetriesPerSecond: 0.1,
      windowMs: 10_000,
      now: new FakeClock().now,
    });
    const retry = budgeted(budget, 'users');
    const events = record(retry);
    const failure = coded('ECONNREFUSED');
    const result = retry.execute(flaky(9, failure).fn).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    const error = await result;
    expect(isRetryBudgetExhaustedError(error) && error.cause).toBe(failure);
    expect(events).toEqual([
      'retry users #2 0ms ECONNREFUSED',
      'budget users',
      'give-up users after 2 ECONNREFUSED',
    ]);
  });

  it('is shared: requests and retries of both policies count against one budget', async () => {
    const budget = new RetryBudget({ ratio: 0.5, minRetriesPerSecond: 0, now: new FakeClock().now });
    const a = budgeted(budget, 'a');
    const b = budgeted(budget, 'b');
    const eventsB = record(b);
    const run = async (retry: Retry): Promise<unknown> => {
      const result = retry.execute(flaky(1).fn).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(0);
      return result;
    };
    await b.execute(() => 'fine');
    await b.execute(() => 'fine');
    // a alone has 1 request (0.5 retries); with b's requests the budget allows 1.5
    expect(await run(a)).toBe('ok');
    expect(await run(a)).toBe('ok');
    // b alone would have 3 requests and no retry (1.5 allowed); a's 2 retries spent the shared 2.5
    expect(isRetryBudgetExhaustedError(await run(b))).toBe(true);
    expect(eventsB).toContain('budget b');
    expect(budget.snapshot()).toEqual({ requests: 5, retries: 2, available: 0 });
  });

  it('returns the last result when a retried result meets a spent budget', async () => {
    const budget = new RetryBudget({ ratio: 0, minRetriesPerSecond: 0, now: new FakeClock().now });
    const retry = new Retry({ budget, retryOnResult: (r) => r === 503 });
    await expect(retry.execute(() => 503)).resolves.toBe(503);
  });
});
