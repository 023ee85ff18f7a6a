import { describe, expect, it } from 'vitest';
import type { EndpointChangeEvent } from '../../src/http/index.ts';
import { counts, ManualClock, useFixtures } from './fixtures.ts';

const { server, client } = useFixtures();

async function send(c: ReturnType<typeof client>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await c.request({ path: '/' }).catch(() => undefined);
}

describe('outlier ejection', () => {
  it('ejects an endpoint answering 500 and moves its traffic to the healthy ones', async () => {
    const [a, b, bad] = [await server(), await server(), await server()];
    bad.fault({ kind: 'status', status: 500 });
    const clock = new ManualClock();
    const events: EndpointChangeEvent[] = [];
    const c = client({
      service: 'svc',
      endpoints: [a.url, b.url, bad.url],
      loadBalancer: 'round_robin',
      breaker: false,
      outlierDetection: { consecutiveFailures: 3, baseEjectionMs: 1000 },
      now: clock.now,
    });
    c.onEndpointChange((e) => events.push(e));
    await c.ready();
    await send(c, 30);
    expect(counts(bad)).toEqual([3]);
    expect(a.requests.length + b.requests.length).toBe(27);
    expect(events.filter((e) => e.change === 'ejected')).toEqual([
      { service: 'svc', endpoint: bad.key, change: 'ejected' },
    ]);
  });

  it('returns the endpoint to rotation after the ejection time once it recovered', async () => {
    const [a, b, bad] = [await server(), await server(), await server()];
    bad.fault({ kind: 'status', status: 500 });
    const clock = new ManualClock();
    const events: EndpointChangeEvent[] = [];
    const c = client({
      service: 'svc',
      endpoints: [a.url, b.url, bad.url],
      loadBalancer: 'round_robin',
      breaker: false,
      outlierDetection: { consecutiveFailures: 3, baseEjectionMs: 1000 },
      now: clock.now,
    });
    c.onEndpointChange((e) => events.push(e));
    await c.ready();
    await send(c, 12);
    bad.fault({ kind: 'ok' });
    clock.advance(999);
    await send(c, 6);
    expect(counts(bad)).toEqual([3]);
    clock.advance(1);
    await send(c, 30);
    expect(counts(bad)).toEqual([13]);
    expect(events.map((e) => e.change)).toEqual(['added', 'added', 'added', 'ejected', 'returned']);
  });

  it('never ejects more than the allowed share, and keeps a lone endpoint in service', async () => {
    const [a, b] = [await server(), await server()];
    a.fault({ kind: 'status', status: 500 });
    b.fault({ kind: 'status', status: 500 });
    const c = client({
      service: 'svc',
      endpoints: [a.url, b.url],
      loadBalancer: 'round_robin',
      breaker: false,
      outlierDetection: { consecutiveFailures: 2, maxEjectedPercent: 50 },
    });
    const ejected: string[] = [];
    c.onEndpointChange((e) => e.change === 'ejected' && ejected.push(e.endpoint));
    await send(c, 20);
    // One of two may be ejected (50 %); the other keeps serving, so both saw traffic.
    expect(ejected).toHaveLength(1);
    expect(a.requests.length + b.requests.length).toBe(20);
  });
});
