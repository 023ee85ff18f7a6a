import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isTimeoutError } from '../../errors/timeout-error.ts';
import { Timeout } from './timeout.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A function that settles only when its signal aborts, rejecting with the abort reason. */
const cooperative = ({ signal }: { signal: AbortSignal }): Promise<never> =>
  new Promise((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
  );

describe('Timeout', () => {
  it('returns the result of a call that finishes in time', async () => {
    await expect(new Timeout({ timeoutMs: 100 }).execute(() => 5)).resolves.toBe(5);
  });

  it('aborts the signal with a TimeoutError when the time is up, and emits onTimeout', async () => {
    vi.useFakeTimers();
    const timeout = new Timeout({ timeoutMs: 100, name: 'users' });
    const events: unknown[] = [];
    timeout.onTimeout((e) => events.push(e));
    let reason: unknown;
    const result = timeout
      .execute(({ signal }) => {
        signal.addEventListener('abort', () => {
          reason = signal.reason;
        });
        return cooperative({ signal });
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(99);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    const error = await result;
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toBe(reason);
    expect(events).toEqual([{ name: 'users', timeoutMs: 100 }]);
  });

  it('cooperative: waits for fn to settle after the abort', async () => {
    vi.useFakeTimers();
    const timeout = new Timeout({ timeoutMs: 100 });
    let settled = false;
    const result = timeout
      .execute(
        ({ signal }) =>
          new Promise<string>((resolve) => {
            signal.addEventListener('abort', () => setTimeout(() => resolve('cleaned up'), 50));
          }),
      )
      .finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(120);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(30);
    await expect(result).resolves.toBe('cleaned up');
  });

  it('cooperative: an own abort error of fn is reported as TimeoutError with it as cause', async () => {
    vi.useFakeTimers();
    const own = new Error('AbortError from the client');
    const result = new Timeout({ timeoutMs: 10 })
      .execute(
        ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(own))),
      )
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    const error = await result;
    expect(isTimeoutError(error) && error.cause).toBe(own);
  });

  it('aggressive: rejects at once without waiting for fn', async () => {
    vi.useFakeTimers();
    const timeout = new Timeout({ timeoutMs: 100, aggressive: true });
    const result = timeout
      .execute(() => new Promise<string>((resolve) => setTimeout(() => resolve('late'), 10_000)))
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(isTimeoutError(await result)).toBe(true);
  });

  it('aggressive: a late rejection of fn does not surface as unhandled', async () => {
    vi.useFakeTimers();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const result = new Timeout({ timeoutMs: 10, aggressive: true })
      .execute(() => new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 50)))
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(isTimeoutError(await result)).toBe(true);
    vi.useRealTimers();
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  it('passes a caller abort on to fn and rejects with the caller reason', async () => {
    const controller = new AbortController();
    const result = new Timeout({ timeoutMs: 10_000 }).execute(cooperative, controller.signal);
    controller.abort(new Error('client went away'));
    await expect(result).rejects.toThrow('client went away');
  });

  it('rejects at once when the caller signal is already aborted', async () => {
    let ran = false;
    const result = new Timeout({ timeoutMs: 10 }).execute(
      () => (ran = true),
      AbortSignal.abort(new Error('gone')),
    );
    await expect(result).rejects.toThrow('gone');
    expect(ran).toBe(false);
  });

  it('keeps the attempt number of the caller context', async () => {
    await expect(new Timeout({ timeoutMs: 10 }).execute(({ attempt }) => attempt)).resolves.toBe(1);
  });

  it('validates timeoutMs', () => {
    expect(() => new Timeout({ timeoutMs: 0 })).toThrow('timeoutMs must be a finite number');
    expect(() => new Timeout({ timeoutMs: Number.POSITIVE_INFINITY })).toThrow('timeoutMs');
  });
});

describe('Timeout leaves nothing behind', () => {
  const activeTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  it('holds one listener and one timer during a call that reads its signal (so the leak checks below can fail)', async () => {
    const parent = new AbortController();
    const before = activeTimers();
    let during: [number, number] = [0, 0];
    await new Timeout({ timeoutMs: 10_000 }).execute(({ signal }) => {
      void signal.aborted;
      during = [getEventListeners(parent.signal, 'abort').length, activeTimers() - before];
    }, parent.signal);
    expect(during).toEqual([1, 1]);
  });

  it('adds no listener to the caller signal for a call that never reads its own signal', async () => {
    const parent = new AbortController();
    let listeners = -1;
    await new Timeout({ timeoutMs: 10_000 }).execute(() => {
      listeners = getEventListeners(parent.signal, 'abort').length;
    }, parent.signal);
    expect(listeners).toBe(0);
  });

  it('a signal read after the call settled does not attach to the caller signal', async () => {
    const parent = new AbortController();
    const context = await new Timeout({ timeoutMs: 10_000 }).execute((ctx) => ctx, parent.signal);
    expect(context.signal.aborted).toBe(false);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it('no listener or timer survives 100k calls that finish in time', async () => {
    const parent = new AbortController();
    const timeouts = [
      new Timeout({ timeoutMs: 10_000 }),
      new Timeout({ timeoutMs: 10_000, aggressive: true }),
    ];
    const before = activeTimers();
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      // Every call reads its signal, so every call really attaches to the caller signal.
      sum += await timeouts[i % 2]!.execute(
        ({ signal }) => Promise.resolve(signal.aborted ? 0 : 1),
        parent.signal,
      );
    }
    expect(sum).toBe(100_000);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    // Other timers of the test runner may end meanwhile, never start: at most the count before.
    expect(activeTimers()).toBeLessThanOrEqual(before);
  });

  it('no listener or timer survives 10k calls that time out', async () => {
    const parent = new AbortController();
    const timeout = new Timeout({ timeoutMs: 1 });
    const before = activeTimers();
    let timedOut = 0;
    for (let batch = 0; batch < 10; batch++) {
      const calls = Array.from({ length: 1_000 }, () =>
        timeout
          .execute(cooperative, parent.signal)
          .catch((e: unknown) => (isTimeoutError(e) ? timedOut++ : 0)),
      );
      await Promise.all(calls);
    }
    expect(timedOut).toBe(10_000);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    // Other timers of the test runner may end meanwhile, never start: at most the count before.
    expect(activeTimers()).toBeLessThanOrEqual(before);
  });
});

describe('Timeout, aggressive mode and the caller signal', () => {
  it('rejects at once with the caller reason when the caller aborts, without waiting for fn', async () => {
    const controller = new AbortController();
    const result = new Timeout({ timeoutMs: 60_000, aggressive: true }).execute(
      () => new Promise(() => undefined),
      controller.signal,
    );
    controller.abort(new Error('client went away'));
    await expect(result).rejects.toThrow('client went away');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a signal read after the timeout fired is already aborted with the TimeoutError', async () => {
    vi.useFakeTimers();
    let late: AbortSignal | undefined;
    const result = new Timeout({ timeoutMs: 10 })
      .execute(async (ctx) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        late = ctx.signal;
        return 'done anyway';
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(20);
    await expect(result).resolves.toBe('done anyway');
    expect(late?.aborted).toBe(true);
    expect(isTimeoutError(late?.reason)).toBe(true);
  });
});
