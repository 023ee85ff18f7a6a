import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ConstantBackoff } from '../backoff/constant-backoff.ts';
import { Retry } from './retry.ts';

const activeTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('Retry abort leaves nothing behind', () => {
  it('100k calls aborted during their backoff sleep leave no timer and no listener', async () => {
    const retry = new Retry({ maxAttempts: 3, backoff: new ConstantBackoff(60_000) });
    const before = activeTimers();
    let aborted = 0;
    let leftovers = 0;
    let sleeping = 0;
    const round = async (): Promise<void> => {
      const controller = new AbortController();
      const result = retry.execute(() => {
        // Abort once the retry is asleep: immediates run after the microtasks that start the sleep.
        setImmediate(() => {
          sleeping += getEventListeners(controller.signal, 'abort').length;
          controller.abort(new Error('gone'));
        });
        return Promise.reject(new Error('down'));
      }, controller.signal);
      await result.catch((e: unknown) => (e instanceof Error && e.message === 'gone' ? aborted++ : 0));
      leftovers += getEventListeners(controller.signal, 'abort').length;
    };
    for (let batch = 0; batch < 100; batch++) await Promise.all(Array.from({ length: 1_000 }, round));
    expect(aborted).toBe(100_000);
    // every call was really asleep (listening) when aborted, so the checks below can fail
    expect(sleeping).toBe(100_000);
    expect(leftovers).toBe(0);
    expect(activeTimers()).toBeLessThanOrEqual(before);
  });
});
