import { describe, expect, it } from 'vitest';
import { fail, FakeClock } from '../common/clock.test-helper.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import type { CircuitBreakerOptions } from './circuit-breaker-options.ts';

const ok = (): Promise<number> => Promise.resolve(1);

function setup(options: CircuitBreakerOptions) {
  const clock = new FakeClock(0);
  const breaker = new CircuitBreaker({ openDurationMs: 1_000, now: clock.now, ...options });
  return { clock, breaker };
}

/** Runs a sequence: 'f' fails, 's' succeeds, 'w' is a slow success of `slowMs`. */
async function run(breaker: CircuitBreaker, clock: FakeClock, pattern: string, slowMs = 0): Promise<void> {
  for (const step of pattern) {
    if (step === 'f') await breaker.execute(fail()).catch(() => undefined);
    else if (step === 's') await breaker.execute(ok);
    else
      await breaker.execute(() => {
        clock.advance(slowMs);
        return 1;
      });
  }
}

describe('failure-rate rule, count window', () => {
  const options: CircuitBreakerOptions = {
    failureRateThreshold: 0.5,
    minimumCalls: 4,
    window: { kind: 'count', size: 4 },
  };

  it('does not use the consecutive rule when only a rate rule is set', async () => {
    const { breaker, clock } = setup({ ...options, minimumCalls: 100, window: { kind: 'count', size: 100 } });
    await run(breaker, clock, 'ffffffffff');
    expect(breaker.state).toBe('closed');
  });

  it('stays closed while fewer than minimumCalls were made, even at 100% failures', async () => {
    const { breaker, clock } = setup(options);
    await run(breaker, clock, 'fff');
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', windowCalls: 3, windowFailures: 3 });
  });

  it('opens exactly at the threshold', async () => {
    const { breaker, clock } = setup(options);
    await run(breaker, clock, 'ssf');
    expect(breaker.state).toBe('closed');
    await run(breaker, clock, 'f');
    expect(breaker.state).toBe('open');
  });

  it('stays closed just below the threshold', async () => {
    const { breaker, clock } = setup({
      ...options,
      failureRateThreshold: 0.3,
      minimumCalls: 10,
      window: { kind: 'count', size: 10 },
    });
    await run(breaker, clock, 'sssssssff');
    await run(breaker, clock, 's');
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', windowCalls: 10, windowFailures: 2 });
    await run(breaker, clock, 'f');
    expect(breaker.state).toBe('open');
  });

  it('forgets calls that slid out of the window', async () => {
    const { breaker, clock } = setup(options);
    await run(breaker, clock, 'fsss');
    expect(breaker.snapshot()).toMatchObject({ windowCalls: 4, windowFailures: 1 });
    await run(breaker, clock, 's');
    expect(breaker.snapshot()).toMatchObject({ windowCalls: 4, windowFailures: 0 });
  });

  it('combines with consecutiveFailures: whichever trips first opens', async () => {
    const { breaker, clock } = setup({
      ...options,
      minimumCalls: 50,
      window: { kind: 'count', size: 50 },
      consecutiveFailures: 2,
    });
    await run(breaker, clock, 'sff');
    expect(breaker.state).toBe('open');
  });

  it('starts the window empty after the breaker closes again', async () => {
    const { breaker, clock } = setup(options);
    await run(breaker, clock, 'ssff');
    clock.advance(1_000);
    await run(breaker, clock, 's');
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', windowCalls: 0 });
  });
});

describe('failure-rate rule, time window', () => {
  const options: CircuitBreakerOptions = {
    failureRateThreshold: 0.5,
    minimumCalls: 2,
    window: { kind: 'time', durationMs: 1_000, buckets: 10 },
  };

  it('counts only the calls of the last durationMs', async () => {
    const { breaker, clock } = setup(options);
    await run(breaker, clock, 'f');
    clock.advance(999);
    expect(breaker.snapshot().windowCalls).toBe(1);
    clock.advance(1);
    expect(breaker.snapshot().windowCalls).toBe(0);
    await run(breaker, clock, 'fs');
    expect(breaker.snapshot()).toMatchObject({ state: 'open' });
  });

  it('slides bucket by bucket', async () => {
    const { breaker, clock } = setup({ ...options, minimumCalls: 100 });
    await run(breaker, clock, 'ff');
    clock.advance(500);
    await run(breaker, clock, 'sss');
    clock.advance(500);
    expect(breaker.snapshot()).toMatchObject({ windowCalls: 3, windowFailures: 0 });
    clock.advance(499);
    expect(breaker.snapshot()).toMatchObject({ windowCalls: 3 });
    clock.advance(1);
    expect(breaker.snapshot()).toMatchObject({ windowCalls: 0 });
  });

  it('forgets the window when the clock goes backwards instead of keeping stale counts', async () => {
    const { breaker, clock } = setup({ ...options, minimumCalls: 3 });
    clock.advance(10_000);
    await run(breaker, clock, 'ff');
    clock.advance(-5_000);
    await run(breaker, clock, 's');
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', windowCalls: 1, windowFailures: 0 });
  });

  it('still opens on failures recorded after a backwards jump', async () => {
    const { breaker, clock } = setup(options);
    clock.advance(10_000);
    await run(breaker, clock, 's');
    clock.advance(-5_000);
    await run(breaker, clock, 'ff');
    expect(breaker.state).toBe('open');
  });
});

describe('slow-call-rate rule', () => {
  const options: CircuitBreakerOptions = {
    slowCallRateThreshold: 0.5,
    slowCallDurationMs: 100,
    minimumCalls: 4,
    window: { kind: 'count', size: 4 },
  };

  it('opens when slow calls reach the threshold, although every call succeeded', async () => {
    const { breaker, clock } = setup(options);
    await run(breaker, clock, 'ssw', 100);
    expect(breaker.state).toBe('closed');
    await run(breaker, clock, 'w', 100);
    expect(breaker.state).toBe('open');
  });

  it('a call just under slowCallDurationMs is not slow', async () => {
    const { breaker, clock } = setup(options);
    await run(breaker, clock, 'wwww', 99);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', windowSlowCalls: 0 });
  });

  it('a slow probe re-opens a half-open breaker', async () => {
    const { breaker, clock } = setup(options);
    await run(breaker, clock, 'wwww', 100);
    clock.advance(1_000);
    expect(breaker.state).toBe('half_open');
    await run(breaker, clock, 'w', 100);
    expect(breaker.state).toBe('open');
  });
});
