import { describe, expect, it } from 'vitest';
import { fail } from '../common/clock.test-helper.ts';
import { CircuitBreaker } from './circuit-breaker.ts';

/** A clock that counts its readings. */
function countingClock(start = 0) {
  const clock = { time: start, reads: 0, now: (): number => (clock.reads++, clock.time) };
  return clock;
}

describe('CircuitBreaker clock use', () => {
  it('reads no clock for closed-state calls with only a consecutive rule and no listeners', async () => {
    const clock = countingClock();
    const breaker = new CircuitBreaker({ consecutiveFailures: 5, now: clock.now });
    for (let i = 0; i < 100; i++) await breaker.execute(() => i);
    await breaker.execute(fail()).catch(() => undefined);
    expect(clock.reads).toBe(0);
  });

  it('times calls once a success listener subscribes', async () => {
    const clock = countingClock();
    const breaker = new CircuitBreaker({ now: clock.now });
    breaker.onSuccess(() => undefined);
    await breaker.execute(() => 1);
    expect(clock.reads).toBe(2);
  });

  it('reads the clock once when opening, to stamp the opening', async () => {
    const clock = countingClock();
    const breaker = new CircuitBreaker({ consecutiveFailures: 1, now: clock.now });
    await breaker.execute(fail()).catch(() => undefined);
    expect(clock.reads).toBe(1);
  });
});

describe('CircuitBreaker with a clock that jumps', () => {
  it('a backwards jump while half-open changes nothing: probes still decide', async () => {
    const clock = countingClock(10_000);
    const breaker = new CircuitBreaker({ consecutiveFailures: 1, openDurationMs: 1_000, now: clock.now });
    await breaker.execute(fail()).catch(() => undefined);
    clock.time += 1_000;
    expect(breaker.state).toBe('half_open');
    clock.time -= 50_000;
    await breaker.execute(() => 'probe');
    expect(breaker.state).toBe('closed');
  });

  it('a huge forward jump while open turns it half-open, not something else', async () => {
    const clock = countingClock(0);
    const breaker = new CircuitBreaker({ consecutiveFailures: 1, openDurationMs: 1_000, now: clock.now });
    await breaker.execute(fail()).catch(() => undefined);
    clock.time = Number.MAX_SAFE_INTEGER;
    expect(breaker.snapshot()).toMatchObject({ state: 'half_open', openRemainingMs: 0 });
  });

  it('a time-window breaker keeps counting and tripping after the clock jumped backwards twice', async () => {
    const clock = countingClock(100_000);
    const breaker = new CircuitBreaker({
      failureRateThreshold: 1,
      minimumCalls: 3,
      window: { kind: 'time', durationMs: 1_000 },
      now: clock.now,
    });
    await breaker.execute(fail()).catch(() => undefined);
    clock.time -= 10_000;
    await breaker.execute(fail()).catch(() => undefined);
    clock.time -= 10_000;
    for (let i = 0; i < 3; i++) await breaker.execute(fail()).catch(() => undefined);
    expect(breaker.state).toBe('open');
  });

  it('emits onReject with the state that rejected, for open, half-open and isolated', async () => {
    const clock = countingClock(0);
    const breaker = new CircuitBreaker({ consecutiveFailures: 1, openDurationMs: 100, now: clock.now });
    const states: string[] = [];
    breaker.onReject((e) => states.push(e.state));
    await breaker.execute(fail()).catch(() => undefined);
    await breaker.execute(() => 1).catch(() => undefined);
    clock.time += 100;
    const probe = breaker.execute(() => new Promise((resolve) => setTimeout(resolve, 1)));
    await breaker.execute(() => 1).catch(() => undefined);
    await probe;
    breaker.isolate();
    await breaker.execute(() => 1).catch(() => undefined);
    expect(states).toEqual(['open', 'half_open', 'isolated']);
  });
});
