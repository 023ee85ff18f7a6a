import { describe, expect, it } from 'vitest';
import { Fallback } from './fallback.ts';

describe('Fallback', () => {
  it('returns the result of a call that succeeds', async () => {
    await expect(new Fallback({ fallback: 0 }).execute(() => 7)).resolves.toBe(7);
  });

  it('replaces a failure with a value and emits onFallback with the reason', async () => {
    const fallback = new Fallback({ fallback: 'cached', name: 'profile' });
    const events: unknown[] = [];
    fallback.onFallback((e) => events.push(e));
    const error = Object.assign(new Error('down'), { code: 'http_503' });
    await expect(fallback.execute(() => Promise.reject(error))).resolves.toBe('cached');
    expect(events).toEqual([{ name: 'profile', reason: 'http_503' }]);
  });

  it('calls a fallback function with the failure', async () => {
    const error = new Error('down');
    const fallback = new Fallback({ fallback: (failure) => ({ degraded: true, failure }) });
    await expect(fallback.execute(() => Promise.reject(error))).resolves.toEqual({
      degraded: true,
      failure: { error },
    });
  });

  it('lets errors through that handles does not choose', async () => {
    const fallback = new Fallback({ fallback: 0, handles: (e) => !(e instanceof TypeError) });
    await expect(fallback.execute(() => Promise.reject(new TypeError('bug')))).rejects.toThrow(TypeError);
  });

  it('replaces results chosen by handlesResult', async () => {
    const fallback = new Fallback({ fallback: [] as number[], handlesResult: (r) => r === null });
    await expect(fallback.execute(() => null)).resolves.toEqual([]);
  });

  it('fails with the error of a failing fallback function', async () => {
    const fallback = new Fallback({
      fallback: () => {
        throw new Error('no cache either');
      },
    });
    await expect(fallback.execute(() => Promise.reject(new Error('down')))).rejects.toThrow(
      'no cache either',
    );
  });
});
