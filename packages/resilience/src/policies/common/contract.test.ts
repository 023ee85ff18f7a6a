import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../breaker/circuit-breaker.ts';
import { Bulkhead } from '../bulkhead/bulkhead.ts';
import { Fallback } from '../fallback/fallback.ts';
import { Retry } from '../retry/retry.ts';
import { Timeout } from '../timeout/timeout.ts';
import { wrap } from '../wrap/wrap.ts';
import type { Policy } from './policy.ts';

const policies: [string, () => Policy<unknown>][] = [
  ['breaker', () => new CircuitBreaker()],
  ['retry', () => new Retry({ maxAttempts: 1 })],
  ['timeout', () => new Timeout({ timeoutMs: 1_000 })],
  ['aggressive timeout', () => new Timeout({ timeoutMs: 1_000, aggressive: true })],
  ['bulkhead', () => new Bulkhead({ maxConcurrent: 1 })],
  ['fallback', () => new Fallback({ fallback: 0, handles: () => false })],
  [
    'wrap',
    () => wrap(new Retry({ maxAttempts: 1 }), new CircuitBreaker(), new Timeout({ timeoutMs: 1_000 })),
  ],
];

describe.each(policies)('the execute contract: %s', (_name, make) => {
  it('returns a synchronous value as a promise', async () => {
    await expect(make().execute(() => 'sync')).resolves.toBe('sync');
  });

  it('returns the value of an async function', async () => {
    await expect(make().execute(() => Promise.resolve('async'))).resolves.toBe('async');
  });

  it('turns a synchronous throw into a rejection, never a throw from execute', async () => {
    const policy = make();
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = policy.execute(() => {
        throw new Error('sync throw');
      });
    }).not.toThrow();
    await expect(promise).rejects.toThrow('sync throw');
  });

  it('accepts promise-likes from other libraries', async () => {
    const thenable = { then: (resolve: (v: string) => void) => resolve('thenable') };
    await expect(make().execute(() => thenable as unknown as Promise<string>)).resolves.toBe('thenable');
  });

  it('is usable again after a failure (no slot or state left taken)', async () => {
    const policy = make();
    await expect(policy.execute(() => Promise.reject(new Error('once')))).rejects.toThrow('once');
    await expect(policy.execute(() => 2)).resolves.toBe(2);
  });
});
