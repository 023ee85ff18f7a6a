import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.ts';
import { ArrivalSchedule } from './profiles/arrival-schedule.ts';
import { constant } from './profiles/segment.ts';
import { runOpenLoop } from './scheduler.ts';

/** A clock moved by hand: timers fire only inside advance(). */
class ManualClock implements Clock {
  time = 0;
  #timers: { at: number; fn: () => void }[] = [];
  now(): number {
    return this.time;
  }
  setTimer(fn: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }
  /** Moves time forward, firing due timers in order at their own time. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers[0];
      if (next === undefined || next.at > end) break;
      this.#timers.shift();
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = end;
  }
  /** Moves time without firing anything, as a blocked event loop would. */
  jump(ms: number): void {
    this.time += ms;
  }
}

const never = (): Promise<void> => new Promise(() => undefined);

describe('runOpenLoop', () => {
  it('fires each request at its intended time without waiting for responses', async () => {
    const clock = new ManualClock();
    const fired: [number, number, number][] = [];
    const done = runOpenLoop({
      schedule: new ArrivalSchedule([constant(10, 1000)]),
      clock,
      fire: (index, intendedMs) => {
        fired.push([index, intendedMs, clock.now()]);
        return never();
      },
      drop: () => undefined,
    });
    clock.advance(1000);
    const result = await done;
    expect(fired).toEqual(Array.from({ length: 10 }, (_, i) => [i, i * 100, i * 100]));
    expect(result).toEqual({ startMs: 0, fired: 10, dropped: 0, aborted: false });
  });

  it('fires overdue requests at once with their original intended times after a stall', async () => {
    const clock = new ManualClock();
    const fired: [number, number][] = [];
    const done = runOpenLoop({
      schedule: new ArrivalSchedule([constant(10, 1000)]),
      clock,
      fire: (_index, intendedMs) => {
        fired.push([intendedMs, clock.now()]);
        return Promise.resolve();
      },
      drop: () => undefined,
    });
    clock.jump(550);
    clock.advance(450);
    await done;
    expect(fired.slice(0, 6)).toEqual([
      [0, 0],
      [100, 550],
      [200, 550],
      [300, 550],
      [400, 550],
      [500, 550],
    ]);
    expect(fired[6]).toEqual([600, 600]);
  });

  it('counts requests beyond maxInFlight as dropped instead of delaying them', async () => {
    const clock = new ManualClock();
    const dropped: number[] = [];
    const done = runOpenLoop({
      schedule: new ArrivalSchedule([constant(10, 1000)]),
      clock,
      maxInFlight: 3,
      fire: never,
      drop: (index) => dropped.push(index),
    });
    clock.advance(1000);
    expect(await done).toMatchObject({ fired: 3, dropped: 7 });
    expect(dropped).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('stops after maxRequests', async () => {
    const clock = new ManualClock();
    const done = runOpenLoop({
      schedule: new ArrivalSchedule([constant(100, 60_000)]),
      clock,
      maxRequests: 25,
      fire: () => Promise.resolve(),
      drop: () => undefined,
    });
    clock.advance(60_000);
    expect(await done).toMatchObject({ fired: 25, dropped: 0, aborted: false });
  });

  it('stops scheduling when the signal aborts', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const done = runOpenLoop({
      schedule: new ArrivalSchedule([constant(10, 10_000)]),
      clock,
      signal: controller.signal,
      fire: () => Promise.resolve(),
      drop: () => undefined,
    });
    clock.advance(450);
    controller.abort();
    clock.advance(5000);
    expect(await done).toMatchObject({ fired: 5, aborted: true });
  });

  it('rejects a maxInFlight below 1', () => {
    expect(() =>
      runOpenLoop({
        schedule: new ArrivalSchedule([constant(1, 1000)]),
        maxInFlight: 0,
        fire: () => Promise.resolve(),
        drop: () => undefined,
      }),
    ).toThrow('maxInFlight must be an integer >= 1, got 0');
  });
});
