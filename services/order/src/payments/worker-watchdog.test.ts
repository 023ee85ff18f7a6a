import { describe, expect, it } from 'vitest';
import { WorkerWatchdog } from './worker-watchdog.ts';

describe('WorkerWatchdog', () => {
  it('calls a worker stuck only when charges wait and it has been idle for the bound', () => {
    let now = 1_000;
    const watchdog = new WorkerWatchdog(() => now);
    now += 14_999;
    expect(watchdog.isStuck(5, 15_000)).toBe(false);
    now += 1;
    expect(watchdog.isStuck(5, 15_000)).toBe(true);
    expect(watchdog.isStuck(0, 15_000)).toBe(false);
    watchdog.observeActivity();
    expect(watchdog.idleMs()).toBe(0);
    expect(watchdog.isStuck(5, 15_000)).toBe(false);
  });
});
