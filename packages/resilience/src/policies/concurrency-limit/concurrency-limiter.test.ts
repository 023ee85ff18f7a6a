import { describe, expect, it } from 'vitest';
import { isConcurrencyLimitExceededError } from '../../errors/concurrency-limit-exceeded-error.ts';
import { TimeoutError } from '../../errors/timeout-error.ts';
import { deferred, FakeClock } from '../common/clock.test-helper.ts';
import { AimdLimit } from './aimd-limit.ts';
import { ConcurrencyLimiter, type ConcurrencyLimiterOptions } from './concurrency-limiter.ts';
import { runModel } from './latency-model.test-helper.ts';

const upstream = { capacity: 10, baseMs: 100 }; // 100 calls per second at full speed

function limiterWith(algorithm: ConcurrencyLimiterOptions['algorithm']) {
  const clock = new FakeClock();
  return { clock, limiter: new ConcurrencyLimiter({ algorithm, now: clock.now, name: 'payment' }) };
}

describe('ConcurrencyLimiter under a latency model', () => {
  it('keeps goodput at capacity and the p99 bounded when 3x the capacity is offered (gradient2)', () => {
    const { clock, limiter } = limiterWith('gradient2');
    runModel({ clock, admission: limiter, upstream, ratePerSec: 50, durationMs: 5_000 });
    const run = runModel({ clock, admission: limiter, upstream, ratePerSec: 300, durationMs: 30_000 });
    expect(run.goodputPerSec).toBeGreaterThanOrEqual(90);
    expect(run.p99Ms).toBeLessThanOrEqual(10 * upstream.baseMs);
    expect(run.rejected).toBeGreaterThan(run.offered / 2);
    expect(limiter.limit).toBeGreaterThanOrEqual(upstream.capacity);
    expect(limiter.limit).toBeLessThanOrEqual(4 * upstream.capacity);
  });

  it('without a limit the same overload makes the p99 grow without bound', () => {
    const clock = new FakeClock();
    const run = runModel({ clock, admission: undefined, upstream, ratePerSec: 300, durationMs: 30_000 });
    expect(run.p99Ms).toBeGreaterThan(50 * upstream.baseMs);
  });

  it('finds the capacity of an upstream that sheds instead of slowing down (aimd)', () => {
    const { clock, limiter } = limiterWith(new AimdLimit());
    const run = runModel({
      clock,
      admission: limiter,
      upstream: { ...upstream, shedAbove: 12 },
      ratePerSec: 300,
      durationMs: 30_000,
    });
    expect(run.goodputPerSec).toBeGreaterThanOrEqual(90);
    expect(run.shed).toBeLessThan(run.admitted / 2);
  });

  it('aimd backs off on latency above latencyThresholdMs, keeping the p99 near it', () => {
    const { clock, limiter } = limiterWith(new AimdLimit({ latencyThresholdMs: 300 }));
    const run = runModel({ clock, admission: limiter, upstream, ratePerSec: 300, durationMs: 30_000 });
    // Loss-based: it overshoots and backs off by 10 %, so it idles a little below capacity.
    expect(run.goodputPerSec).toBeGreaterThanOrEqual(75);
    expect(run.p99Ms).toBeLessThanOrEqual(2 * 300);
  });

  it('does not grow while the caller uses less than half of the limit (gradient2)', () => {
    const { clock, limiter } = limiterWith('gradient2');
    runModel({ clock, admission: limiter, upstream, ratePerSec: 20, durationMs: 30_000 });
    expect(limiter.limit).toBe(20);
  });

  it('grows again once the upstream is fast again', () => {
    const { clock, limiter } = limiterWith('gradient2');
    runModel({ clock, admission: limiter, upstream, ratePerSec: 300, durationMs: 20_000 });
    const overloaded = limiter.limit;
    runModel({
      clock,
      admission: limiter,
      upstream: { capacity: 100, baseMs: 100 },
      ratePerSec: 900,
      durationMs: 20_000,
    });
    expect(limiter.limit).toBeGreaterThan(2 * overloaded);
  });
});

describe('ConcurrencyLimiter', () => {
  it('rejects at once with ConcurrencyLimitExceededError and emits onReject at the limit', async () => {
    const limiter = new ConcurrencyLimiter({
      algorithm: new AimdLimit({ initialLimit: 2, minLimit: 1, maxLimit: 2 }),
      name: 'payment',
      retryAfterMs: 250,
    });
    const rejects: { name: string; limit: number }[] = [];
    limiter.onReject((e) => rejects.push(e));
    const gate = deferred<number>();
    const running = [limiter.execute(() => gate.promise), limiter.execute(() => gate.promise)];
    const error = await limiter.execute(() => 1).catch((e: unknown) => e);
    expect(isConcurrencyLimitExceededError(error)).toBe(true);
    expect(error).toMatchObject({
      limiter: 'payment',
      limit: 2,
      retryAfterMs: 250,
      code: 'concurrency_limited',
    });
    expect(rejects).toEqual([{ name: 'payment', limit: 2 }]);
    expect(limiter.snapshot()).toEqual({ limit: 2, inFlight: 2 });
    gate.resolve(1);
    await Promise.all(running);
    expect(limiter.snapshot().inFlight).toBe(0);
  });

  it('counts a timeout as a drop sample and other errors as no sample', async () => {
    const limiter = new ConcurrencyLimiter({ algorithm: new AimdLimit({ initialLimit: 10 }) });
    await limiter.execute(() => Promise.reject(new Error('bad request'))).catch(() => undefined);
    expect(limiter.limit).toBe(10);
    await limiter.execute(() => Promise.reject(new TimeoutError('t', 1))).catch(() => undefined);
    expect(limiter.limit).toBe(9);
    const thrown = await limiter
      .execute(() => {
        throw new TimeoutError('t', 1);
      })
      .catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(TimeoutError);
    expect(limiter.snapshot()).toEqual({ limit: 8, inFlight: 0 });
  });

  it('emits onLimitChange with the old and the new limit', async () => {
    const limiter = new ConcurrencyLimiter({ algorithm: new AimdLimit({ initialLimit: 10 }), name: 'db' });
    const changes: unknown[] = [];
    limiter.onLimitChange((e) => changes.push(e));
    await limiter.execute(() => Promise.reject(new TimeoutError('t', 1))).catch(() => undefined);
    expect(changes).toEqual([{ name: 'db', from: 10, to: 9 }]);
  });

  it('releases a permit once, however often it is ended', () => {
    const limiter = new ConcurrencyLimiter({ algorithm: new AimdLimit({ initialLimit: 10 }) });
    const permit = limiter.tryAcquire()!;
    limiter.tryAcquire();
    permit.dropped();
    permit.dropped();
    permit.success();
    expect(limiter.snapshot()).toEqual({ limit: 9, inFlight: 1 });
  });

  it('measures latency with the injected clock', () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    const limiter = new ConcurrencyLimiter({
      algorithm: { name: 'probe', initialLimit: 5, update: (s) => (seen.push(s.rttMs, s.inFlight), 5) },
      now: clock.now,
    });
    const first = limiter.tryAcquire()!;
    limiter.tryAcquire();
    clock.advance(42);
    first.success();
    expect(seen).toEqual([42, 1]);
    expect(limiter.algorithm).toBe('probe');
  });

  it('validates its options at construction, naming the option and the value', () => {
    expect(() => new ConcurrencyLimiter({ retryAfterMs: -1 })).toThrow(
      'retryAfterMs must be a finite number >= 0, got -1',
    );
    expect(() => new ConcurrencyLimiter({ algorithm: 'vegas' as 'aimd' })).toThrow(
      'algorithm must be one of gradient2, aimd, got vegas',
    );
  });
});
