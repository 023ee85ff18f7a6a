import { describe, expect, it } from 'vitest';
import { ConstantBackoff } from '../../src/policies/index.ts';
import { isUpstreamHttpError, isUpstreamUnavailableError } from '../../src/http/index.ts';
import { counts, rejectionOf, useFixtures } from './fixtures.ts';

const { server, client } = useFixtures();
const noDelay = new ConstantBackoff(0);

describe('retries', () => {
  it('sends the retry of a 503 to a different endpoint', async () => {
    const [bad, good] = [await server(), await server()];
    bad.fault({ kind: 'status', status: 503 });
    const c = client({
      service: 'svc',
      endpoints: [bad.url, good.url],
      loadBalancer: 'round_robin',
      backoff: noDelay,
    });
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await c.request({ path: '/' }));
    expect(results.every((r) => r.endpoint === good.key && r.status === 200)).toBe(true);
    expect(results.filter((r) => r.attempts === 2)).toHaveLength(bad.requests.length);
    expect(bad.requests.length).toBeGreaterThan(0);
  });

  it('retries a connection reset mid-response on another endpoint', async () => {
    const [bad, good] = [await server(), await server()];
    bad.fault({ kind: 'reset' });
    const c = client({
      service: 'svc',
      endpoints: [bad.url, good.url],
      loadBalancer: 'round_robin',
      backoff: noDelay,
    });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await c.request({ path: '/' }));
    expect(results.map((r) => r.endpoint)).toEqual([good.key, good.key, good.key, good.key]);
    expect(results.map((r) => r.attempts)).toEqual([2, 2, 2, 2]);
    expect(counts(bad)).toEqual([4]);
  });

  it('never sends a POST without an idempotency key twice', async () => {
    const [a, b] = [await server(), await server()];
    a.fault({ kind: 'status', status: 503 });
    b.fault({ kind: 'status', status: 503 });
    const c = client({ service: 'svc', endpoints: [a.url, b.url], backoff: noDelay });
    const error = await rejectionOf(c.request({ method: 'POST', path: '/payments', body: { n: 1 } }));
    expect(isUpstreamHttpError(error)).toBe(true);
    a.fault({ kind: 'reset' });
    b.fault({ kind: 'reset' });
    const reset = await rejectionOf(c.request({ method: 'POST', path: '/payments', body: { n: 2 } }));
    expect(isUpstreamUnavailableError(reset)).toBe(true);
    expect(a.requests.length + b.requests.length).toBe(2);
  });

  it('retries a POST the upstream cannot have received (connection refused)', async () => {
    const [down, up] = [await server(), await server()];
    await down.stop();
    const c = client({
      service: 'svc',
      endpoints: [down.url, up.url],
      loadBalancer: 'round_robin',
      backoff: noDelay,
    });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await c.request({ method: 'POST', path: '/p', body: { i } }));
    expect(results.every((r) => r.endpoint === up.key)).toBe(true);
    expect(up.requests.map((r) => r.body)).toEqual([0, 1, 2, 3].map((i) => `{"i":${i}}`));
  });

  it('retries a POST that carries an Idempotency-Key, with the same key', async () => {
    const [bad, good] = [await server(), await server()];
    bad.fault({ kind: 'status', status: 503 });
    good.fault({ kind: 'status', status: 503 });
    const c = client({
      service: 'svc',
      endpoints: [bad.url, good.url],
      loadBalancer: 'round_robin',
      backoff: noDelay,
    });
    await rejectionOf(c.request({ method: 'POST', path: '/p', idempotencyKey: 'key-7' }));
    const seen = [...bad.requests, ...good.requests];
    expect(seen).toHaveLength(3);
    expect(seen.every((r) => r.headers['idempotency-key'] === 'key-7')).toBe(true);
  });

  it('stops at the retry budget when every attempt fails', async () => {
    const [a, b] = [await server(), await server()];
    a.fault({ kind: 'status', status: 503 });
    b.fault({ kind: 'status', status: 503 });
    const ratio = 0.2;
    const minRetriesPerSecond = 1; // with the 10 s window: 10 retries always allowed
    const c = client({
      service: 'svc',
      endpoints: [a.url, b.url],
      backoff: noDelay,
      maxAttempts: 3,
      breaker: false,
      outlierDetection: false,
      retryBudget: { ratio, minRetriesPerSecond },
    });
    let exhausted = 0;
    c.policies().retry.onBudgetExhausted(() => exhausted++);
    const calls = 200;
    for (let i = 0; i < calls; i += 10) {
      await Promise.all(Array.from({ length: 10 }, () => c.request({ path: '/' }).catch(() => undefined)));
    }
    const sent = a.requests.length + b.requests.length;
    expect(sent).toBeLessThanOrEqual((1 + ratio) * calls + minRetriesPerSecond * 10);
    // Without a budget 3 attempts per call would send 600; the budget was what stopped it.
    expect(sent).toBeGreaterThan(calls);
    expect(exhausted).toBeGreaterThan(0);
  });
});
