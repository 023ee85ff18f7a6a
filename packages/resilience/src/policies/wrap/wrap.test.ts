import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { ConstantBackoff } from '../backoff/constant-backoff.ts';
import { CircuitBreaker } from '../breaker/circuit-breaker.ts';
import { Bulkhead } from '../bulkhead/bulkhead.ts';
import { FakeClock } from '../common/clock.test-helper.ts';
import type { ExecuteFn, Policy } from '../common/policy.ts';
import { Fallback } from '../fallback/fallback.ts';
import { Retry } from '../retry/retry.ts';
import { Timeout } from '../timeout/timeout.ts';
import { wrap } from './wrap.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A policy from outside this package: only the public contract, records what it saw. */
class Recorder implements Policy {
  readonly name = 'recorder';
  readonly log: string[] = [];
  async execute<T>(fn: ExecuteFn<T>, signal?: AbortSignal): Promise<T> {
    this.log.push('before');
    const value = await fn({ signal: signal ?? new AbortController().signal, attempt: 1 });
    this.log.push('after');
    return value;
  }
}

describe('wrap', () => {
  it('runs policies outer to inner and returns the result', async () => {
    const outer = new Recorder();
    const policy = wrap(outer, new Retry(), new CircuitBreaker());
    await expect(policy.execute(() => 3)).resolves.toBe(3);
    expect(outer.log).toEqual(['before', 'after']);
    expect(policy.name).toBe('recorder>retry>breaker');
  });

  it('hands the retry attempt number and the per-try signal down to fn', async () => {
    vi.useFakeTimers();
    const seen: { attempt: number; signal: AbortSignal }[] = [];
    const policy = wrap(
      new Retry({ maxAttempts: 3, backoff: new ConstantBackoff(1) }),
      new CircuitBreaker(),
      new Timeout({ timeoutMs: 50 }),
    );
    const result = policy.execute((ctx) => {
      seen.push(ctx);
      return ctx.attempt < 3 ? Promise.reject(new Error('flaky')) : 'ok';
    });
    await vi.advanceTimersByTimeAsync(10);
    await expect(result).resolves.toBe('ok');
    expect(seen.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(new Set(seen.map((c) => c.signal)).size).toBe(3);
  });

  it('the recommended pipeline: an open breaker stops retries and the fallback answers', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ consecutiveFailures: 2, now: clock.now });
    const retry = new Retry({ maxAttempts: 5, backoff: new ConstantBackoff(0) });
    let calls = 0;
    const policy = wrap(
      new Fallback({ fallback: 'degraded' }),
      new Bulkhead({ maxConcurrent: 4 }),
      new Timeout({ timeoutMs: 1_000 }),
      retry,
      breaker,
      new Timeout({ timeoutMs: 100 }),
    );
    const result: string = await policy.execute((): Promise<string> => {
      calls++;
      return Promise.reject(new Error('down'));
    });
    expect(result).toBe('degraded');
    expect(calls).toBe(2);
    expect(breaker.state).toBe('open');
  });

  it('a per-try timeout counts as a breaker failure and is retried', async () => {
    vi.useFakeTimers();
    const breaker = new CircuitBreaker({ consecutiveFailures: 10 });
    const failures: unknown[] = [];
    breaker.onFailure((e) => failures.push(e.error));
    let calls = 0;
    const policy = wrap(
      new Retry({ maxAttempts: 2, backoff: new ConstantBackoff(0) }),
      breaker,
      new Timeout({ timeoutMs: 100 }),
    );
    const result = policy.execute(({ signal }) => {
      calls++;
      if (calls === 2) return 'second try';
      return new Promise<string>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error)),
      );
    });
    await vi.advanceTimersByTimeAsync(110);
    await expect(result).resolves.toBe('second try');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: 'timeout' });
    expect(calls).toBe(2);
  });

  it('nested wraps compose like a flat one', async () => {
    const inner = wrap(new Retry(), new CircuitBreaker());
    await expect(
      wrap(new Bulkhead({ maxConcurrent: 1 }), inner).execute(({ attempt }) => attempt),
    ).resolves.toBe(1);
  });

  it('types the result as fn result, plus the fallback type when a fallback is composed', () => {
    const plain = wrap(new Retry(), new Bulkhead({ maxConcurrent: 1 }));
    expectTypeOf(plain.execute(() => 1)).resolves.toEqualTypeOf<number>();
    const withFallback = wrap(new Fallback({ fallback: 'cached' }), new Retry());
    expectTypeOf(withFallback.execute(() => 1)).resolves.toEqualTypeOf<number | string>();
  });

  it('an empty wrap just runs fn', async () => {
    await expect(wrap().execute(() => 9)).resolves.toBe(9);
  });

  it('rejects a per-try timeout not shorter than the total timeout', () => {
    expect(() =>
      wrap(
        new Timeout({ timeoutMs: 1_000, name: 'total' }),
        new Retry(),
        new Timeout({ timeoutMs: 1_000, name: 'try' }),
      ),
    ).toThrow(
      new RangeError(
        'wrap: per-try timeout "try" (1000 ms) must be shorter than total timeout "total" (1000 ms)',
      ),
    );
  });

  it('accepts a per-try timeout shorter than the total timeout, also across nested wraps', () => {
    expect(() =>
      wrap(new Timeout({ timeoutMs: 1_000 }), wrap(new Retry(), new Timeout({ timeoutMs: 999 }))),
    ).not.toThrow();
    expect(() =>
      wrap(new Timeout({ timeoutMs: 10 }), wrap(new Retry(), new Timeout({ timeoutMs: 11 }))),
    ).toThrow(RangeError);
  });

  it('rejects the same policy instance twice', () => {
    const breaker = new CircuitBreaker();
    expect(() => wrap(breaker, new Retry(), breaker)).toThrow('policy "breaker" appears twice');
  });
});
