import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isBulkheadRejectedError } from '../../errors/bulkhead-rejected-error.ts';
import { deferred } from '../common/clock.test-helper.ts';
import { Bulkhead } from './bulkhead.ts';

afterEach(() => {
  vi.useRealTimers();
});

function gated(bulkhead: Bulkhead) {
  const gate = deferred<number>();
  const order: number[] = [];
  const call = (id: number, signal?: AbortSignal) =>
    bulkhead.execute(async () => {
      order.push(id);
      return gate.promise;
    }, signal);
  return { gate, order, call };
}

describe('Bulkhead', () => {
  it('runs at most maxConcurrent calls and queues up to maxQueued more', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 2, maxQueued: 1 });
    const { gate, order, call } = gated(bulkhead);
    const running = [call(1), call(2), call(3)];
    await Promise.resolve();
    expect(order).toEqual([1, 2]);
    expect(bulkhead.snapshot()).toEqual({ inFlight: 2, queued: 1, maxConcurrent: 2, maxQueued: 1 });
    gate.resolve(0);
    await Promise.all(running);
    expect(order).toEqual([1, 2, 3]);
    expect(bulkhead.snapshot()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('rejects with BulkheadRejectedError(full) and emits onReject when slots and queue are taken', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueued: 1, name: 'db' });
    const rejects: string[] = [];
    bulkhead.onReject((e) => rejects.push(e.name));
    const { gate, call } = gated(bulkhead);
    const running = [call(1), call(2)];
    const error: unknown = await call(3).catch((e: unknown) => e);
    expect(isBulkheadRejectedError(error) && error.reason).toBe('full');
    expect(rejects).toEqual(['db']);
    gate.resolve(0);
    await Promise.all(running);
  });

  it('serves the queue first in, first out', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueued: 3 });
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((id) => bulkhead.execute(() => order.push(id))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('frees the slot when a call fails', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1 });
    await expect(bulkhead.execute(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(bulkhead.execute(() => 2)).resolves.toBe(2);
    expect(bulkhead.snapshot().inFlight).toBe(0);
  });

  it('rejects a queued call after queueTimeoutMs and removes it from the queue', async () => {
    vi.useFakeTimers();
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueued: 1, queueTimeoutMs: 100 });
    const { gate, call } = gated(bulkhead);
    const first = call(1);
    const queued = call(2).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(99);
    expect(bulkhead.snapshot().queued).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = await queued;
    expect(isBulkheadRejectedError(error) && error.reason).toBe('queue_timeout');
    expect(bulkhead.snapshot()).toMatchObject({ inFlight: 1, queued: 0 });
    gate.resolve(0);
    await first;
  });

  it('aborting a queued call removes it, its listener and its timer', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueued: 2, queueTimeoutMs: 60_000 });
    const { gate, order, call } = gated(bulkhead);
    const controller = new AbortController();
    const first = call(1);
    const aborted = call(2, controller.signal).catch((e: unknown) => e);
    const third = call(3);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort(new Error('caller gone'));
    expect(await aborted).toMatchObject({ message: 'caller gone' });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(bulkhead.snapshot().queued).toBe(1);
    gate.resolve(0);
    await Promise.all([first, third]);
    expect(order).toEqual([1, 3]);
  });

  it('rejects at once when the caller signal is already aborted and no slot is free', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueued: 1 });
    const { gate, call } = gated(bulkhead);
    const first = call(1);
    await expect(call(2, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(bulkhead.snapshot().queued).toBe(0);
    gate.resolve(0);
    await first;
  });

  it('a granted waiter removes its abort listener', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueued: 1 });
    const { gate, call } = gated(bulkhead);
    const controller = new AbortController();
    const running = [call(1), call(2, controller.signal)];
    gate.resolve(0);
    await Promise.all(running);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('validates options', () => {
    expect(() => new Bulkhead({ maxConcurrent: 0 })).toThrow('maxConcurrent must be an integer >= 1, got 0');
    expect(() => new Bulkhead({ maxConcurrent: 1, maxQueued: -1 })).toThrow('maxQueued');
    expect(() => new Bulkhead({ maxConcurrent: 1, queueTimeoutMs: -1 })).toThrow('queueTimeoutMs');
  });
});
