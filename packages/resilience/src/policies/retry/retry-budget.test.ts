import { describe, expect, it } from 'vitest';
import { FakeClock } from '../common/clock.test-helper.ts';
import { RetryBudget } from './retry-budget.ts';

function budget(options: { ratio?: number; minRetriesPerSecond?: number } = {}) {
  const clock = new FakeClock(0);
  return {
    clock,
    budget: new RetryBudget({
      ratio: 0.2,
      minRetriesPerSecond: 0,
      windowMs: 1_000,
      buckets: 10,
      now: clock.now,
      ...options,
    }),
  };
}

function withdrawAll(b: RetryBudget): number {
  let n = 0;
  while (b.tryWithdraw()) n++;
  return n;
}

describe('RetryBudget', () => {
  it('allows ratio × requests retries', () => {
    const { budget: b } = budget();
    for (let i = 0; i < 10; i++) b.deposit();
    expect(withdrawAll(b)).toBe(2);
    expect(b.snapshot()).toEqual({ requests: 10, retries: 2, available: 0 });
  });

  it('allows minRetriesPerSecond × window seconds without any request', () => {
    const { budget: b } = budget({ ratio: 0, minRetriesPerSecond: 3 });
    expect(withdrawAll(b)).toBe(3);
  });

  it('adds the ratio share to the minimum', () => {
    const { budget: b } = budget({ ratio: 0.5, minRetriesPerSecond: 2 });
    for (let i = 0; i < 4; i++) b.deposit();
    expect(withdrawAll(b)).toBe(4);
  });

  it('a refused withdrawal takes nothing', () => {
    const { budget: b } = budget();
    for (let i = 0; i < 5; i++) b.deposit();
    expect(withdrawAll(b)).toBe(1);
    expect(b.tryWithdraw()).toBe(false);
    expect(b.snapshot().retries).toBe(1);
  });

  it('refills as requests and retries slide out of the window', () => {
    const { budget: b, clock } = budget();
    for (let i = 0; i < 10; i++) b.deposit();
    expect(withdrawAll(b)).toBe(2);
    clock.advance(500);
    for (let i = 0; i < 10; i++) b.deposit();
    expect(withdrawAll(b)).toBe(2);
    clock.advance(500);
    // the first 10 requests and 2 retries left the window: 10 requests, 2 retries remain
    expect(b.snapshot()).toEqual({ requests: 10, retries: 2, available: 0 });
    clock.advance(499);
    expect(b.snapshot().requests).toBe(10);
    clock.advance(1);
    expect(b.snapshot()).toEqual({ requests: 0, retries: 0, available: 0 });
  });

  it('caps a full outage at ratio extra load under steady traffic', () => {
    const { budget: b, clock } = budget({ ratio: 0.1 });
    let requests = 0;
    let retries = 0;
    for (let ms = 0; ms < 10_000; ms += 10) {
      clock.time = ms;
      b.deposit();
      requests++;
      // every request fails and would retry twice
      for (let r = 0; r < 2; r++) if (b.tryWithdraw()) retries++;
    }
    expect(retries / requests).toBeLessThanOrEqual(0.1);
    expect(retries / requests).toBeGreaterThan(0.09);
  });

  it('forgets the window when the clock goes backwards, keeping the minimum available', () => {
    const { budget: b, clock } = budget({ minRetriesPerSecond: 1 });
    clock.time = 5_000;
    for (let i = 0; i < 10; i++) b.deposit();
    expect(withdrawAll(b)).toBe(3);
    clock.time = 1_000;
    expect(b.snapshot()).toEqual({ requests: 0, retries: 0, available: 1 });
    expect(withdrawAll(b)).toBe(1);
  });

  it('validates options', () => {
    expect(() => new RetryBudget({ ratio: -0.1 })).toThrow('ratio must be a finite number >= 0, got -0.1');
    expect(() => new RetryBudget({ windowMs: 0 })).toThrow('windowMs');
    expect(() => new RetryBudget({ buckets: 1.5 })).toThrow('buckets must be an integer >= 1, got 1.5');
  });
});
