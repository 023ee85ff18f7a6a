import { waitFor } from '@shipshape/test-harness';
import { describe, expect, it } from 'vitest';
import {
  isBulkheadRejectedError,
  isTimeoutError,
  isUpstreamUnavailableError,
  type AttemptEvent,
  type ClientRetryEvent,
} from '../../src/http/index.ts';
import { ConstantBackoff } from '../../src/policies/index.ts';
import { rejectionOf, useFixtures } from './fixtures.ts';

const { server, client } = useFixtures();

describe('pipeline', () => {
  it('reports every attempt and retry through events', async () => {
    const [bad, good] = [await server(), await server()];
    bad.fault({ kind: 'status', status: 503 });
    const c = client({
      service: 'svc',
      endpoints: [bad.url, good.url],
      loadBalancer: 'round_robin',
      backoff: new ConstantBackoff(5),
    });
    const attempts: AttemptEvent[] = [];
    const retries: ClientRetryEvent[] = [];
    c.onAttempt((e) => attempts.push(e));
    c.policies().retry.onRetry((e) => retries.push(e));
    await c.request({ method: 'PUT', path: '/x' });
    expect(attempts.map(({ durationMs: _, ...rest }) => rest)).toEqual([
      { service: 'svc', method: 'PUT', endpoint: bad.key, statusCode: 503, attempt: 1 },
      { service: 'svc', method: 'PUT', endpoint: good.key, statusCode: 200, attempt: 2 },
    ]);
    expect(retries).toEqual([{ name: 'svc', attempt: 1, delayMs: 5, reason: 'http_503' }]);
  });

  it('exposes one breaker per endpoint, the retry events, the bulkhead and the limiter', async () => {
    const [a, b] = [await server(), await server()];
    const c = client({ service: 'svc', endpoints: `${a.url},${b.url}` });
    await c.ready();
    const policies = c.policies();
    expect(policies.breakers.map((x) => x.name)).toEqual([`svc/${a.key}`, `svc/${b.key}`]);
    expect(policies.retry.name).toBe('svc');
    expect(policies.bulkhead.snapshot()).toMatchObject({ maxConcurrent: 256, maxQueued: 512 });
    expect(policies.limiter).toBeUndefined();
  });

  it('queues calls beyond the bulkhead and rejects beyond its queue', async () => {
    const s = await server();
    s.fault({ kind: 'ok', delayMs: 200 });
    const c = client({ service: 'svc', endpoints: s.url, bulkhead: { maxConcurrent: 2, maxQueued: 1 } });
    await c.ready();
    const calls = Array.from({ length: 4 }, () =>
      c.request({ path: '/' }).then(
        () => 'ok',
        (e: unknown) => e,
      ),
    );
    await waitFor('two in flight', () => s.requests.length === 2, { timeoutMs: 5000 });
    expect(c.policies().bulkhead.snapshot()).toMatchObject({ inFlight: 2, queued: 1 });
    const results = await Promise.all(calls);
    expect(results.filter((r) => r === 'ok')).toHaveLength(3);
    expect(results.filter((r) => isBulkheadRejectedError(r))).toHaveLength(1);
  });

  it('gives up waiting in a full bulkhead when the deadline passes', async () => {
    const s = await server();
    s.fault({ kind: 'ok', delayMs: 400 });
    const c = client({ service: 'svc', endpoints: s.url, bulkhead: { maxConcurrent: 1, maxQueued: 1 } });
    await c.ready();
    const first = c.request({ path: '/' });
    const second = await rejectionOf(c.request({ path: '/', timeoutMs: 100 }));
    expect(isTimeoutError(second)).toBe(true);
    expect((await first).status).toBe(200);
    expect(s.requests).toHaveLength(1);
  });

  it('fails with no_endpoints when the name never resolved', async () => {
    const c = client({
      service: 'svc',
      endpoints: 'http://nowhere.internal:1',
      lookup: () => Promise.reject(new Error('ENOTFOUND')),
    });
    const error = await rejectionOf(c.request({ path: '/' }));
    expect(isUpstreamUnavailableError(error) && error.reason).toBe('no_endpoints');
  });

  it('splits traffic by endpoint weight (canary)', async () => {
    const [stable, canary] = [await server(), await server()];
    const c = client({
      service: 'svc',
      endpoints: [
        { url: stable.url, weight: 9 },
        { url: canary.url, weight: 1 },
      ],
      loadBalancer: 'weighted',
    });
    for (let i = 0; i < 100; i++) await c.request({ path: '/' });
    expect([stable.requests.length, canary.requests.length]).toEqual([90, 10]);
  });

  it("cancels on the caller's signal without blaming the endpoint", async () => {
    const [slow, other] = [await server(), await server()];
    slow.fault({ kind: 'hang' });
    const c = client({
      service: 'svc',
      endpoints: [slow.url, other.url],
      loadBalancer: 'round_robin',
      outlierDetection: { consecutiveFailures: 1 },
    });
    const ejected: string[] = [];
    c.onEndpointChange((e) => e.change === 'ejected' && ejected.push(e.endpoint));
    const controller = new AbortController();
    const call = c.request({ path: '/', signal: controller.signal });
    await waitFor('request arrived', () => slow.requests.length === 1, { timeoutMs: 5000 });
    controller.abort(new Error('caller gave up'));
    const error = await rejectionOf(call);
    expect((error as Error).message).toBe('caller gave up');
    expect(ejected).toEqual([]);
    expect(slow.requests.length + other.requests.length).toBe(1);
  });

  it('takes x-request-id from the call headers and forwards it unchanged', async () => {
    const s = await server();
    const c = client({ service: 'svc', endpoints: s.url, requestId: () => 'from-context' });
    await c.request({ path: '/', headers: { 'X-Request-Id': 'from-header' } });
    await c.request({ path: '/', requestId: 'explicit' });
    expect(s.requests.map((r) => r.headers['x-request-id'])).toEqual(['from-header', 'explicit']);
  });

  it('finishes calls in flight on close, then refuses new ones', async () => {
    const s = await server();
    s.fault({ kind: 'ok', delayMs: 200 });
    const c = client({ service: 'svc', endpoints: s.url });
    const inFlight = c.request({ path: '/' });
    await waitFor('request arrived', () => s.requests.length === 1, { timeoutMs: 5000 });
    await c.close();
    expect((await inFlight).status).toBe(200);
    const error = await rejectionOf(c.request({ path: '/' }));
    expect(isUpstreamUnavailableError(error) && error.reason).toBe('client_closed');
  });

  it('rejects options that make no sense, naming the option and the value', () => {
    expect(() => client({ service: 'svc', endpoints: 'http://127.0.0.1:1', maxAttempts: 0 })).toThrow(
      'maxAttempts must be an integer >= 1, got 0',
    );
    expect(() => client({ service: 'svc', endpoints: 'ftp://x' })).toThrow(
      'endpoints: protocol must be http: or https:, got ftp:',
    );
    expect(() => client({ service: 'svc', endpoints: '' })).toThrow(RangeError);
    expect(() =>
      client({ service: 'svc', endpoints: 'http://127.0.0.1:1', loadBalancer: 'fastest' as never }),
    ).toThrow('loadBalancer must be one of');
  });
});
