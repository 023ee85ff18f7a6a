import { afterEach, describe, expect, it } from 'vitest';
import { createServiceClient, isUpstreamHttpError, type ServiceClient } from '../../src/http/index.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';

const servers: FaultServer[] = [];
const clients: ServiceClient[] = [];

async function server(): Promise<FaultServer> {
  const s = await startFaultServer();
  servers.push(s);
  return s;
}

function client(options: Parameters<typeof createServiceClient>[0]): ServiceClient {
  const c = createServiceClient(options);
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('service client basics', () => {
  it('returns status, parsed JSON body, endpoint and attempts', async () => {
    const s = await server();
    const c = client({ service: 'svc', endpoints: s.url });
    const res = await c.request({ path: '/things/1', query: { a: 1, b: undefined } });
    expect(res).toMatchObject({ status: 200, body: { path: '/things/1?a=1' }, endpoint: s.key, attempts: 1 });
  });

  it('sends the JSON body, idempotency key, request id and remaining deadline', async () => {
    const s = await server();
    const c = client({ service: 'svc', endpoints: s.url, requestId: () => 'req-1' });
    await c.request({ method: 'POST', path: '/p', body: { x: 1 }, idempotencyKey: 'k-1', timeoutMs: 3000 });
    const seen = s.requests[0]!;
    expect(seen.body).toBe('{"x":1}');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['idempotency-key']).toBe('k-1');
    expect(seen.headers['x-request-id']).toBe('req-1');
    const budget = Number(seen.headers['x-request-timeout-ms']);
    expect(budget).toBeGreaterThan(0);
    expect(budget).toBeLessThanOrEqual(2000);
  });

  it('returns a 4xx answer as a response with its problem body', async () => {
    const s = await server();
    s.fault({ kind: 'status', status: 404, body: { code: 'not_found' } });
    const c = client({ service: 'svc', endpoints: s.url });
    const res = await c.request({ path: '/missing' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found' });
    expect(s.requests).toHaveLength(1);
  });

  it('rejects a non-retryable 500 with UpstreamHttpError after one attempt', async () => {
    const s = await server();
    s.fault({ kind: 'status', status: 500, body: { code: 'boom' } });
    const c = client({ service: 'svc', endpoints: s.url });
    const error = await c.request({ path: '/x' }).catch((e: unknown) => e);
    expect(isUpstreamHttpError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'upstream_http_error',
      status: 500,
      body: { code: 'boom' },
      endpoint: s.key,
    });
    expect(s.requests).toHaveLength(1);
  });

  it('fails an answer larger than maxResponseBytes without retrying it', async () => {
    const s = await server();
    s.fault({ kind: 'ok', body: { text: 'x'.repeat(100) } });
    const c = client({ service: 'svc', endpoints: s.url, maxResponseBytes: 50 });
    const error = await c.request({ path: '/big' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' });
    expect(s.requests).toHaveLength(1);
  });
});
