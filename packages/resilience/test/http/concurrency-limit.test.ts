import { describe, expect, it } from 'vitest';
import { isConcurrencyLimitExceededError } from '../../src/http/index.ts';
import { AimdLimit } from '../../src/policies/index.ts';
import { rejectionOf, useFixtures } from './fixtures.ts';

const { server, client } = useFixtures();

describe('adaptive concurrency limit in the client', () => {
  it('rejects a call at once, unsent, while the limit is in flight', async () => {
    const s = await server();
    s.fault({ kind: 'ok', delayMs: 100 });
    const c = client({
      service: 'payment',
      endpoints: s.url,
      concurrencyLimit: { algorithm: new AimdLimit({ initialLimit: 1, maxLimit: 1 }), retryAfterMs: 200 },
    });
    const first = c.request({ path: '/1' });
    const error = await rejectionOf(c.request({ path: '/2' }));
    expect(isConcurrencyLimitExceededError(error)).toBe(true);
    expect(error).toMatchObject({ limiter: 'payment', limit: 1, retryAfterMs: 200 });
    await first;
    expect(s.requests.map((r) => r.path)).toEqual(['/1']);
    expect(c.policies().concurrencyLimit!.snapshot()).toEqual({ limit: 1, inFlight: 0 });
  });

  it('counts a 503 from the upstream as a drop: AIMD lowers the limit', async () => {
    const s = await server();
    s.fault({ kind: 'status', status: 503 });
    const c = client({
      service: 'payment',
      endpoints: s.url,
      maxAttempts: 1,
      concurrencyLimit: { algorithm: 'aimd' },
    });
    await rejectionOf(c.request({ path: '/' }));
    expect(c.policies().concurrencyLimit!.snapshot().limit).toBe(18);
  });

  it('has no limit unless asked for', () => {
    expect(
      client({ service: 'payment', endpoints: 'http://127.0.0.1:1' }).policies().concurrencyLimit,
    ).toBeUndefined();
  });
});
