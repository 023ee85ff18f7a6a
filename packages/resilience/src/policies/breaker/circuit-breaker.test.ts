import { describe, expect, it } from 'vitest';
import { isBrokenCircuitError } from '../../errors/broken-circuit-error.ts';
import { ExponentialBackoff } from '../backoff/exponential-backoff.ts';
import { deferred, fail, FakeClock } from '../common/clock.test-helper.ts';
import type { BreakerStateChangeEvent } from './circuit-breaker.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import type { CircuitBreakerOptions } from './circuit-breaker-options.ts';

const ok = (): Promise<number> => Promise.resolve(1);

function setup(options: CircuitBreakerOptions = {}) {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker({
    consecutiveFailures: 3,
    openDurationMs: 1_000,
    now: clock.now,
    ...options,
  });
  const changes: string[] = [];
  breaker.onStateChange((e: BreakerStateChangeEvent) => changes.push(`${e.from}->${e.to}`));
  return { clock, breaker, changes };
}

async function failTimes(breaker: CircuitBreaker, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await breaker.execute(fail()).catch(() => undefined);
}

describe('CircuitBreaker transitions', () => {
  it('starts closed and passes results and errors through', async () => {
    const { breaker } = setup();
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(() => 42)).resolves.toBe(42);
    await expect(breaker.execute(fail(new Error('x')))).rejects.toThrow('x');
  });

  it('opens after exactly consecutiveFailures failures, not one before', async () => {
    const { breaker, changes } = setup();
    await failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(changes).toEqual(['closed->open']);
  });

  it('a success resets the consecutive failure count', async () => {
    const { breaker } = setup();
    await failTimes(breaker, 2);
    await breaker.execute(ok);
    await failTimes(breaker, 2);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
  });

  it('rejects without running fn while open, with retryAfterMs and a reject event', async () => {
    const { breaker, clock } = setup();
    const rejects: string[] = [];
    breaker.onReject((e) => rejects.push(`${e.name}:${e.state}`));
    await failTimes(breaker, 3);
    clock.advance(400);
    let ran = false;
    const error: unknown = await breaker.execute(() => (ran = true)).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(isBrokenCircuitError(error) && error.retryAfterMs).toBe(600);
    expect(rejects).toEqual(['breaker:open']);
  });

  it('stays open until openDurationMs has passed, then turns half-open lazily', async () => {
    const { breaker, clock, changes } = setup();
    await failTimes(breaker, 3);
    clock.advance(999);
    expect(breaker.state).toBe('open');
    clock.advance(1);
    expect(breaker.state).toBe('half_open');
    expect(changes).toEqual(['closed->open', 'open->half_open']);
  });

  it('closes after halfOpenSuccesses successful probes', async () => {
    const { breaker, clock, changes } = setup({ halfOpenSuccesses: 2, halfOpenMaxProbes: 2 });
    await failTimes(breaker, 3);
    clock.advance(1_000);
    await breaker.execute(ok);
    expect(breaker.snapshot()).toMatchObject({ state: 'half_open', halfOpenSuccesses: 1 });
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('re-opens on any failed probe', async () => {
    const { breaker, clock, changes } = setup({ halfOpenSuccesses: 3, halfOpenMaxProbes: 3 });
    await failTimes(breaker, 3);
    clock.advance(1_000);
    await breaker.execute(ok);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(changes.at(-1)).toBe('half_open->open');
  });

  it('admits at most halfOpenMaxProbes concurrent probes and rejects the rest', async () => {
    const { breaker, clock } = setup({ halfOpenMaxProbes: 2, halfOpenSuccesses: 2 });
    await failTimes(breaker, 3);
    clock.advance(1_000);
    const gate = deferred<number>();
    const probes = [breaker.execute(() => gate.promise), breaker.execute(() => gate.promise)];
    await expect(breaker.execute(ok)).rejects.toMatchObject({ code: 'circuit_open', state: 'half_open' });
    expect(breaker.snapshot()).toMatchObject({ state: 'half_open', halfOpenInFlight: 2 });
    gate.resolve(7);
    await expect(Promise.all(probes)).resolves.toEqual([7, 7]);
    expect(breaker.state).toBe('closed');
  });

  it('frees a probe slot when a probe finishes', async () => {
    const { breaker, clock } = setup({ halfOpenMaxProbes: 1, halfOpenSuccesses: 2 });
    await failTimes(breaker, 3);
    clock.advance(1_000);
    await breaker.execute(ok);
    expect(breaker.snapshot()).toMatchObject({ halfOpenInFlight: 0, halfOpenSuccesses: 1 });
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
  });

  it('ignores outcomes of calls that started in an earlier state', async () => {
    const { breaker, clock } = setup({ consecutiveFailures: 1 });
    const slow = deferred<number>();
    const late = breaker.execute(() => slow.promise);
    await failTimes(breaker, 1);
    clock.advance(1_000);
    expect(breaker.state).toBe('half_open');
    slow.reject(new Error('late failure'));
    await late.catch(() => undefined);
    expect(breaker.snapshot()).toMatchObject({ state: 'half_open', halfOpenInFlight: 0 });
  });

  it('grows the open duration with openBackoff and resets it after closing', async () => {
    const { breaker, clock } = setup({
      consecutiveFailures: 1,
      openBackoff: new ExponentialBackoff({ initialDelayMs: 1_000, factor: 2, maxDelayMs: 3_000 }),
    });
    const openFor: number[] = [];
    for (let i = 0; i < 4; i++) {
      await failTimes(breaker, 1);
      const remaining = breaker.snapshot().openRemainingMs;
      openFor.push(remaining);
      clock.advance(remaining);
      expect(breaker.state).toBe('half_open');
    }
    expect(openFor).toEqual([1_000, 2_000, 3_000, 3_000]);
    await breaker.execute(ok);
    await failTimes(breaker, 1);
    expect(breaker.snapshot()).toMatchObject({ consecutiveOpens: 1, openRemainingMs: 1_000 });
  });

  it('isolate() forces the breaker open until reset(), whatever the clock says', async () => {
    const { breaker, clock, changes } = setup();
    breaker.isolate();
    clock.advance(1_000_000);
    await expect(breaker.execute(ok)).rejects.toMatchObject({
      code: 'circuit_open',
      state: 'isolated',
      retryAfterMs: undefined,
    });
    expect(breaker.state).toBe('isolated');
    breaker.reset();
    await expect(breaker.execute(ok)).resolves.toBe(1);
    expect(changes).toEqual(['closed->isolated', 'isolated->closed']);
  });

  it('reset() closes an open breaker and clears the counts', async () => {
    const { breaker } = setup();
    await failTimes(breaker, 3);
    breaker.reset();
    expect(breaker.snapshot()).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
      consecutiveOpens: 0,
    });
  });

  it('a clock going backwards keeps the breaker open at most openDurationMs more', async () => {
    const { breaker, clock } = setup();
    await failTimes(breaker, 3);
    clock.advance(-3_600_000);
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().openRemainingMs).toBe(1_000);
    clock.advance(1_000);
    expect(breaker.state).toBe('half_open');
  });
});

describe('CircuitBreaker classification and events', () => {
  it('errors the isFailure predicate rejects count as successes and are rethrown', async () => {
    const { breaker } = setup({ isFailure: (e) => !(e instanceof RangeError) });
    for (let i = 0; i < 5; i++)
      await expect(breaker.execute(fail(new RangeError('4xx')))).rejects.toThrow(RangeError);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('results matching isResultFailure count as failures and are still returned', async () => {
    const { breaker } = setup({ isResultFailure: (r) => (r as { status: number }).status >= 500 });
    for (let i = 0; i < 3; i++)
      await expect(breaker.execute(() => ({ status: 503 }))).resolves.toEqual({ status: 503 });
    expect(breaker.state).toBe('open');
  });

  it('emits success and failure with duration and slowness from the clock', async () => {
    const { breaker, clock } = setup({ slowCallDurationMs: 100 });
    const events: unknown[] = [];
    breaker.onSuccess((e) => events.push({ kind: 'success', ...e }));
    breaker.onFailure((e) => events.push({ kind: 'failure', ...e }));
    await breaker.execute(async () => {
      clock.advance(150);
      await Promise.resolve();
      return 1;
    });
    const error = new Error('down');
    await breaker
      .execute(() => {
        clock.advance(20);
        throw error;
      })
      .catch(() => undefined);
    expect(events).toEqual([
      { kind: 'success', name: 'breaker', durationMs: 150, slow: true },
      { kind: 'failure', name: 'breaker', durationMs: 20, slow: false, error },
    ]);
  });

  it('a disposed listener receives nothing more', async () => {
    const { breaker } = setup();
    let calls = 0;
    const subscription = breaker.onSuccess(() => calls++);
    await breaker.execute(ok);
    subscription.dispose();
    await breaker.execute(ok);
    expect(calls).toBe(1);
  });

  it('passes the caller signal and attempt 1 to fn', async () => {
    const { breaker } = setup();
    const controller = new AbortController();
    const seen = await breaker.execute((ctx) => ctx, controller.signal);
    expect(seen.signal).toBe(controller.signal);
    expect(seen.attempt).toBe(1);
  });

  it('validates options and names the bad one', () => {
    expect(() => new CircuitBreaker({ consecutiveFailures: 0 })).toThrow(
      'consecutiveFailures must be an integer >= 1, got 0',
    );
    expect(() => new CircuitBreaker({ failureRateThreshold: 1.5 })).toThrow(
      'failureRateThreshold must be in (0, 1], got 1.5',
    );
    expect(() => new CircuitBreaker({ halfOpenMaxProbes: 0 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ openDurationMs: -1 })).toThrow('openDurationMs');
    expect(
      () => new CircuitBreaker({ failureRateThreshold: 0.5, window: { kind: 'time', durationMs: 0 } }),
    ).toThrow('window.durationMs');
  });
});
