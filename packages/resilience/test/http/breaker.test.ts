import { describe, expect, it } from 'vitest';
import { isUpstreamHttpError, isUpstreamUnavailableError } from '../../src/http/index.ts';
import { ManualClock, rejectionOf, useFixtures } from './fixtures.ts';

const { server, client } = useFixtures();

describe('per-endpoint circuit breaker', () => {
  it('opens, rejects without sending, half-opens and closes', async () => {
    const s = await server();
    s.fault({ kind: 'status', status: 500 });
    const clock = new ManualClock();
    const c = client({
      service: 'svc',
      endpoints: s.url,
      breaker: { consecutiveFailures: 3, openDurationMs: 1000 },
      now: clock.now,
    });
    await c.ready();
    const [breaker] = c.policies().breakers;
    const transitions: string[] = [];
    breaker!.onStateChange((e) => transitions.push(`${e.from}->${e.to}`));

    for (let i = 0; i < 3; i++)
      expect(isUpstreamHttpError(await rejectionOf(c.request({ path: '/' })))).toBe(true);
    expect(breaker!.snapshot().state).toBe('open');

    const rejected = await rejectionOf(c.request({ path: '/' }));
    expect(isUpstreamUnavailableError(rejected)).toBe(true);
    expect(rejected).toMatchObject({
      code: 'upstream_unavailable',
      reason: 'circuit_open',
      retryAfterMs: 1000,
    });
    expect(s.requests).toHaveLength(3);

    s.fault({ kind: 'ok' });
    clock.advance(1000);
    expect(breaker!.snapshot().state).toBe('half_open');
    const probe = await c.request({ path: '/' });
    expect(probe.status).toBe(200);
    expect(breaker!.snapshot().state).toBe('closed');
    expect(transitions).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
    expect(s.requests).toHaveLength(4);
  });

  it('re-opens when the half-open probe fails', async () => {
    const s = await server();
    s.fault({ kind: 'status', status: 503 });
    const clock = new ManualClock();
    const c = client({
      service: 'svc',
      endpoints: s.url,
      maxAttempts: 1,
      breaker: { consecutiveFailures: 2, openDurationMs: 500 },
      now: clock.now,
    });
    await c.ready();
    await rejectionOf(c.request({ path: '/' }));
    await rejectionOf(c.request({ path: '/' }));
    clock.advance(500);
    expect(isUpstreamHttpError(await rejectionOf(c.request({ path: '/' })))).toBe(true);
    expect(c.policies().breakers[0]!.snapshot().state).toBe('open');
    expect(isUpstreamUnavailableError(await rejectionOf(c.request({ path: '/' })))).toBe(true);
    expect(s.requests).toHaveLength(3);
  });

  it('routes around an endpoint whose breaker is open', async () => {
    const [bad, good] = [await server(), await server()];
    bad.fault({ kind: 'status', status: 500 });
    const c = client({
      service: 'svc',
      endpoints: [bad.url, good.url],
      loadBalancer: 'round_robin',
      outlierDetection: false,
      breaker: { consecutiveFailures: 2 },
    });
    for (let i = 0; i < 20; i++) await c.request({ path: '/' }).catch(() => undefined);
    expect(bad.requests).toHaveLength(2);
    expect(good.requests).toHaveLength(18);
  });
});
