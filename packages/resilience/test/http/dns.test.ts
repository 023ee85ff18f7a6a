import { describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@shipshape/test-harness';
import type { EndpointChangeEvent, LookupFunction } from '../../src/http/index.ts';
import type { FaultServer } from './fault-server.ts';
import { useFixtures } from './fixtures.ts';

const { server, client } = useFixtures();
const hosts = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];

/** Three servers on three loopback addresses, one port: one DNS name with three A records. */
async function fleet(): Promise<{ port: number; servers: FaultServer[] }> {
  const port = await freePort();
  const servers = await Promise.all(hosts.map((host) => server({ host, port })));
  return { port, servers };
}

/** A resolver whose answer the test changes; only `users.internal` exists. */
function dnsFor(addresses: string[]): {
  lookup: LookupFunction;
  set: (next: string[]) => void;
  fail: (on: boolean) => void;
} {
  let current = addresses;
  let failing = false;
  return {
    lookup: (hostname) => {
      if (hostname !== 'users.internal' || failing)
        return Promise.reject(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
      return Promise.resolve(current.map((address) => ({ address })));
    },
    set: (next) => {
      current = next;
    },
    fail: (on) => {
      failing = on;
    },
  };
}

async function send(c: ReturnType<typeof client>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await c.request({ path: '/' });
}

describe('DNS endpoints', () => {
  it('balances across every address of a name, with the name as Host', async () => {
    const { port, servers } = await fleet();
    const dns = dnsFor(hosts);
    const c = client({
      service: 'users',
      endpoints: `http://users.internal:${port}`,
      lookup: dns.lookup,
      loadBalancer: 'round_robin',
    });
    await send(c, 30);
    expect(servers.map((s) => s.requests.length)).toEqual([10, 10, 10]);
    expect(servers[1]!.requests[0]!.headers.host).toBe(`users.internal:${port}`);
  });

  it('follows addresses that leave and join on re-resolution', async () => {
    const { port, servers } = await fleet();
    const dns = dnsFor(hosts);
    const events: EndpointChangeEvent[] = [];
    const c = client({
      service: 'users',
      endpoints: `http://users.internal:${port}`,
      lookup: dns.lookup,
      loadBalancer: 'round_robin',
      dnsRefreshMs: 0,
    });
    c.onEndpointChange((e) => events.push(e));
    await c.ready();
    dns.set(hosts.slice(0, 2));
    await c.refreshEndpoints();
    await send(c, 20);
    expect(servers.map((s) => s.requests.length)).toEqual([10, 10, 0]);
    dns.set(hosts);
    await c.refreshEndpoints();
    await send(c, 30);
    expect(servers.map((s) => s.requests.length)).toEqual([20, 20, 10]);
    expect(events.map((e) => `${e.change} ${e.endpoint}`)).toEqual([
      ...hosts.map((h) => `added ${h}:${port}`),
      `removed 127.0.0.3:${port}`,
      `added 127.0.0.3:${port}`,
    ]);
  });

  it('has the breakers of the new endpoint list in place when it reports a change', async () => {
    const { port } = await fleet();
    const dns = dnsFor(hosts.slice(0, 1));
    const c = client({
      service: 'users',
      endpoints: `http://users.internal:${port}`,
      lookup: dns.lookup,
      dnsRefreshMs: 0,
    });
    const seen: string[] = [];
    c.onEndpointChange((e) => seen.push(`${e.change}: ${c.policies().breakers.length}`));
    await c.ready();
    dns.set(hosts);
    await c.refreshEndpoints();
    dns.set(hosts.slice(1));
    await c.refreshEndpoints();
    expect(seen).toEqual(['added: 1', 'added: 3', 'added: 3', 'removed: 2']);
  });

  it('re-resolves periodically', async () => {
    const { port, servers } = await fleet();
    const dns = dnsFor(hosts.slice(0, 1));
    const c = client({
      service: 'users',
      endpoints: `http://users.internal:${port}`,
      lookup: dns.lookup,
      dnsRefreshMs: 50,
    });
    await c.ready();
    expect(c.endpoints()).toEqual([`127.0.0.1:${port}`]);
    dns.set(hosts);
    await waitFor('three endpoints', () => c.endpoints().length === 3, { timeoutMs: 5000 });
    await send(c, 30);
    expect(servers.every((s) => s.requests.length > 0)).toBe(true);
  });

  it('finishes a request in flight to an endpoint that leaves', async () => {
    const { port, servers } = await fleet();
    servers[2]!.fault({ kind: 'ok', delayMs: 300, body: { from: 'leaving' } });
    const dns = dnsFor(hosts.slice(2));
    const c = client({
      service: 'users',
      endpoints: `http://users.internal:${port}`,
      lookup: dns.lookup,
      dnsRefreshMs: 0,
    });
    await c.ready();
    const inFlight = c.request({ path: '/slow' });
    await waitFor('request arrived', () => servers[2]!.requests.length === 1, { timeoutMs: 5000 });
    dns.set(hosts.slice(0, 1));
    await c.refreshEndpoints();
    const res = await inFlight;
    expect(res).toMatchObject({ status: 200, body: { from: 'leaving' }, attempts: 1 });
    await send(c, 3);
    expect(servers.map((s) => s.requests.length)).toEqual([3, 0, 1]);
  });

  it('keeps the last known addresses when resolution fails', async () => {
    const { port, servers } = await fleet();
    const dns = dnsFor(hosts);
    const c = client({
      service: 'users',
      endpoints: `http://users.internal:${port}`,
      lookup: dns.lookup,
      loadBalancer: 'round_robin',
      dnsRefreshMs: 0,
    });
    const failures: string[] = [];
    c.onResolveError((e) => failures.push(`${e.service} ${e.hostname}`));
    await c.ready();
    dns.fail(true);
    await c.refreshEndpoints();
    await send(c, 3);
    expect(servers.map((s) => s.requests.length)).toEqual([1, 1, 1]);
    expect(failures).toEqual(['users users.internal']);
  });
});
