import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConstantBackoff } from '../../src/policies/index.ts';
import { isTimeoutError, readDeadlineHeader, type AttemptEvent } from '../../src/http/index.ts';
import { rejectionOf, useFixtures } from './fixtures.ts';

const { server, client } = useFixtures();
const extra: Server[] = [];
afterEach(async () => {
  await Promise.all(
    extra.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

describe('deadlines', () => {
  it('sends a smaller remaining budget at each hop', async () => {
    const b = await server();
    const toB = client({ service: 'b', endpoints: b.url });
    // Server A: spends 50 ms, then calls B with what is left of its own inbound deadline.
    const a = createServer((req, res) => {
      const receivedAt = performance.now();
      const budget = readDeadlineHeader(req.headers) ?? 0;
      setTimeout(() => {
        const left = budget - (performance.now() - receivedAt);
        toB
          .request({ path: '/b', timeoutMs: left })
          .then((r) => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ seenByA: budget, fromB: r.body }));
          })
          .catch(() => res.writeHead(503).end());
      }, 50);
    });
    extra.push(a);
    await new Promise<void>((resolve) => a.listen(0, '127.0.0.1', resolve));
    const toA = client({ service: 'a', endpoints: `http://127.0.0.1:${(a.address() as AddressInfo).port}` });
    const res = await toA.request<{ seenByA: number }>({ path: '/a', timeoutMs: 1000 });
    const seenByA = res.body.seenByA;
    const seenByB = Number(b.requests[0]!.headers['x-request-timeout-ms']);
    expect(seenByA).toBeLessThanOrEqual(1000);
    expect(seenByA).toBeGreaterThan(500);
    expect(seenByB).toBeGreaterThan(0);
    expect(seenByB).toBeLessThanOrEqual(seenByA - 50);
  });

  it('starts no attempt after the deadline and fails with TimeoutError', async () => {
    const s = await server();
    s.fault({ kind: 'hang' });
    const c = client({
      service: 'svc',
      endpoints: s.url,
      timeoutMs: 600,
      perTryTimeoutMs: 150,
      maxAttempts: 20,
      backoff: new ConstantBackoff(0),
      breaker: false,
    });
    const starts: number[] = [];
    c.onAttempt((e: AttemptEvent) => starts.push(performance.now() - e.durationMs));
    const t0 = performance.now();
    const error = await rejectionOf(c.request({ path: '/' }));
    expect(isTimeoutError(error)).toBe(true);
    expect(starts.length).toBeGreaterThanOrEqual(2);
    expect(starts.every((at) => at < t0 + 600)).toBe(true);
    const sent = s.requests.length;
    expect(s.requests.every((r) => Number(r.headers['x-request-timeout-ms']) >= 1)).toBe(true);
    // Kept real: a quiet period after the real deadline is the claim (no late attempt); there is
    // no event to wait for.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.requests).toHaveLength(sent);
  });

  it('caps each attempt at the per-try timeout and retries within the total budget', async () => {
    const s = await server();
    let n = 0;
    s.fault(() => (n++ === 0 ? { kind: 'hang' } : { kind: 'ok' }));
    const c = client({
      service: 'svc',
      endpoints: s.url,
      timeoutMs: 2000,
      perTryTimeoutMs: 200,
      backoff: new ConstantBackoff(0),
    });
    const res = await c.request({ path: '/' });
    expect(res.attempts).toBe(2);
    expect(s.requests.map((r) => Number(r.headers['x-request-timeout-ms']))).toEqual([200, 200]);
  });

  it('never sends an attempt that timed out while waiting for a connection', async () => {
    const s = await server();
    s.fault({ kind: 'ok', delayMs: 300 });
    const c = client({ service: 'svc', endpoints: s.url, connectionsPerEndpoint: 1, maxAttempts: 1 });
    const first = c.request({ path: '/first' });
    const queued = await rejectionOf(c.request({ path: '/queued', timeoutMs: 100 }));
    expect(isTimeoutError(queued)).toBe(true);
    expect((await first).status).toBe(200);
    await c.request({ path: '/after' });
    expect(s.requests.map((r) => r.path)).toEqual(['/first', '/after']);
  });
});
