import { describe, expect, it } from 'vitest';
import { algorithmCases, runCase, T0 } from './algorithm-cases.test-helper.ts';
import { MemoryRateLimiter } from './memory-rate-limiter.ts';
import { rateLimitAlgorithms, type RateLimitAlgorithm } from './rate-limiter.ts';

function fakeClock(start = T0): { now: () => number; set: (ms: number) => void } {
  let current = start;
  return { now: () => current, set: (ms) => (current = ms) };
}

describe.each(rateLimitAlgorithms)('MemoryRateLimiter %s', (algorithm) => {
  for (const testCase of algorithmCases.filter((c) => c.algorithm === algorithm)) {
    it(testCase.title, async () => {
      const clock = fakeClock();
      const limiter = new MemoryRateLimiter({ ...testCase, clock: clock.now });
      const { actual, expected } = await runCase(testCase, clock.set, (cost) => limiter.consume('k', cost));
      expect(actual).toEqual(expected);
    });
  }

  it('keeps keys independent', async () => {
    const limiter = new MemoryRateLimiter({ algorithm, limit: 2, windowMs: 1000, clock: () => T0 });
    await limiter.consume('a', 2);
    expect((await limiter.consume('a')).allowed).toBe(false);
    expect((await limiter.consume('b')).allowed).toBe(true);
  });

  it('drops the state of keys that fully decayed', async () => {
    const clock = fakeClock();
    const limiter = new MemoryRateLimiter({ algorithm, limit: 2, windowMs: 1000, clock: clock.now });
    await limiter.consume('a');
    await limiter.consume('b');
    expect(limiter.size).toBe(2);
    clock.set(T0 + 10_000);
    await limiter.consume('c');
    expect(limiter.size).toBe(1);
  });

  it('applies a raised limit at runtime', async () => {
    const limiter = new MemoryRateLimiter({ algorithm, limit: 2, windowMs: 60_000, clock: () => T0 });
    await limiter.consume('a', 2);
    expect((await limiter.consume('a')).allowed).toBe(false);
    limiter.setLimits({ limit: 4 });
    const decision = await limiter.consume('a');
    expect(decision.limit).toBe(4);
    expect(decision.allowed).toBe(true);
  });

  it('applies a lowered limit at runtime without admitting more than the new limit', async () => {
    const limiter = new MemoryRateLimiter({ algorithm, limit: 10, windowMs: 60_000, clock: () => T0 });
    await limiter.consume('a', 3);
    limiter.setLimits({ limit: 3 });
    const decision = await limiter.consume('a');
    expect(decision).toMatchObject({ allowed: false, limit: 3, remaining: 0 });
  });
});

describe('MemoryRateLimiter', () => {
  it('emits one decision event per consume', async () => {
    const limiter = new MemoryRateLimiter({
      algorithm: 'gcra',
      name: 'api',
      limit: 1,
      windowMs: 1000,
      clock: () => T0,
    });
    const events: unknown[] = [];
    const subscription = limiter.onDecision((event) => events.push(event));
    await limiter.consume('a');
    await limiter.consume('a');
    subscription.dispose();
    await limiter.consume('a');
    expect(events).toEqual([
      { name: 'api', allowed: true },
      { name: 'api', allowed: false },
    ]);
  });

  it('is never degraded', () => {
    expect(new MemoryRateLimiter({ algorithm: 'gcra', limit: 1, windowMs: 1 }).degraded).toBe(false);
  });

  it.each([
    [{ limit: 0 }, 'limit must be a positive integer, got 0'],
    [{ limit: 1.5 }, 'limit must be a positive integer, got 1.5'],
    [{ windowMs: -1 }, 'windowMs must be a positive integer, got -1'],
    [{ algorithm: 'nope' as RateLimitAlgorithm }, 'algorithm must be one of'],
    [{ name: 'a{b}' }, 'name must be a non-empty string without { or }'],
    [{ limit: 1e9, windowMs: 1e9 }, 'limit × windowMs must stay below 2^42'],
  ])('rejects bad options %o at construction', (bad, message) => {
    expect(() => new MemoryRateLimiter({ algorithm: 'gcra', limit: 1, windowMs: 1000, ...bad })).toThrow(
      message,
    );
  });

  it('rejects a cost that is not a positive integer', async () => {
    const limiter = new MemoryRateLimiter({ algorithm: 'gcra', limit: 5, windowMs: 1000 });
    await expect(limiter.consume('a', 0)).rejects.toThrow('cost must be a positive integer, got 0');
    await expect(limiter.consume('a', 1.5)).rejects.toThrow(RangeError);
  });

  it('rejects bad runtime settings and keeps the old limits', () => {
    const limiter = new MemoryRateLimiter({ algorithm: 'gcra', limit: 5, windowMs: 1000 });
    expect(() => limiter.setLimits({ limit: 10, windowMs: 0 })).toThrow(
      'windowMs must be a positive integer, got 0',
    );
    expect([limiter.limit, limiter.windowMs]).toEqual([5, 1000]);
  });
});
