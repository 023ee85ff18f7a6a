import { RedisSource, setOverride } from '@shipshape/config/redis';
import { waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import { send, useApp } from './testing/start-app.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);

describe('operational routes', () => {
  it('answers /health 200 without checking Redis', async () => {
    const { url } = await startApp();
    const { status, body } = await send(`${url}/health`);
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok' });
  });

  it('answers /ready 200 when Redis answers PING', async () => {
    const { url } = await startApp();
    const { status, body } = await send(`${url}/ready`);
    expect(status).toBe(200);
    expect(body.checks?.redis?.status).toBe('ok');
  });

  it('serves the OpenAPI 3.1 document generated from the schemas', async () => {
    const { url } = await startApp();
    const { status, body } = await send(`${url}/openapi.json`);
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\.1/);
    expect(Object.keys(body.paths ?? {})).toEqual(expect.arrayContaining(['/users', '/users/{id}']));
  });

  it('serves /config with the source of each value and the Redis URL redacted', async () => {
    const { url } = await startApp({
      values: { redisUrl: 'redis://:hunter2secret@10.1.2.3:6379', rateLimit: { limit: 7 } },
    });
    const { status, body, text } = await send(`${url}/config`);
    expect(status).toBe(200);
    expect(body['rateLimit.limit']).toMatchObject({ value: 7 });
    expect(body['rateLimit.windowMs']).toMatchObject({ value: 60_000, source: 'default' });
    expect(body.redisUrl?.value).toBe('[redacted]');
    expect(text).not.toContain('hunter2secret');
    expect(text).not.toContain('10.1.2.3');
  });

  it('exposes http_server_request_duration_seconds with the route template and the service label', async () => {
    const { url } = await startApp();
    await send(`${url}/users/some-id`);
    const { status, text } = await send(`${url}/metrics`);
    expect(status).toBe(200);
    expect(text).toMatch(/http_server_request_duration_seconds_count\{[^}]*route="\/users\/:id"[^}]*\} 1/);
    expect(text).toMatch(/http_server_request_duration_seconds_count\{[^}]*service="user"/);
    expect(text).not.toContain('/users/some-id');
  });

  it('answers 405 with Allow: GET, HEAD for POST /health', async () => {
    const { url } = await startApp();
    const { status, headers, body } = await send(`${url}/health`, { method: 'POST' });
    expect(status).toBe(405);
    expect(body.code).toBe('method_not_allowed');
    expect(headers.get('allow')).toContain('GET');
  });
});

describe('inbound rate limit', () => {
  it('answers 429 rate_limited with Retry-After, RateLimit and RateLimit-Policy past the configured limit', async () => {
    const { url } = await startApp({
      rateLimit: true,
      values: { rateLimit: { limit: 2, windowMs: 60_000 } },
    });
    const headers = { 'x-api-key': `client-${crypto.randomUUID()}` };
    expect((await send(`${url}/users/x`, { headers })).status).toBe(404);
    const second = await send(`${url}/users/x`, { headers });
    expect(second.headers.get('ratelimit-policy')).toBe('"inbound";q=2;w=60');
    const third = await send(`${url}/users/x`, { headers });
    expect(third.status).toBe(429);
    expect(third.headers.get('content-type')).toContain('application/problem+json');
    expect(third.body.code).toBe('rate_limited');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(third.headers.get('ratelimit')).toMatch(/^"inbound";r=0;t=\d+$/);
  });

  it('keys clients by x-api-key, so another key still passes', async () => {
    const { url } = await startApp({ rateLimit: true, values: { rateLimit: { limit: 1 } } });
    expect(
      (await send(`${url}/users/x`, { headers: { 'x-api-key': 'a-' + crypto.randomUUID() } })).status,
    ).toBe(404);
    expect(
      (await send(`${url}/users/x`, { headers: { 'x-api-key': 'b-' + crypto.randomUUID() } })).status,
    ).toBe(404);
  });

  it('applies a limit changed at runtime through a Redis config override to the next request', async () => {
    const service = `user-test-${crypto.randomUUID()}`;
    const source = new RedisSource({ redis: redis.url, service });
    const { url, config, redis: client } = await startApp({ rateLimit: true, sources: [source] });
    const headers = { 'x-api-key': `client-${crypto.randomUUID()}` };
    expect((await send(`${url}/users/x`, { headers })).status).toBe(404);
    await setOverride(client, service, 'rateLimit.limit', 1);
    await waitFor('the override to load', () => config.get().rateLimit.limit === 1, { timeoutMs: 5_000 });
    const next = await send(`${url}/users/x`, { headers });
    expect(next.status).toBe(429);
    expect(next.headers.get('ratelimit-policy')).toBe('"inbound";q=1;w=60');
  });

  it('does not limit the health probe', async () => {
    const { url } = await startApp({ rateLimit: true, values: { rateLimit: { limit: 1 } } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(`${url}/health`)).status);
    expect(statuses).toEqual([200, 200, 200]);
  });
});

describe('chaos', () => {
  it('answers API requests 503 service_unavailable with chaos.errorRate = 1, but not the probes', async () => {
    const { url } = await startApp({ values: { chaos: { errorRate: 1 } } });
    const { status, body, headers } = await send(`${url}/users/x`);
    expect(status).toBe(503);
    expect(body.code).toBe('service_unavailable');
    expect(headers.get('retry-after')).toBe('1');
    expect((await send(`${url}/health`)).status).toBe(200);
  });

  it('answers 504 deadline_exceeded when chaos.latencyMs outlasts the request deadline', async () => {
    const { url } = await startApp({ values: { chaos: { latencyMs: 5_000 } } });
    const { status, body } = await send(`${url}/users/x`, { headers: { 'x-request-timeout-ms': '100' } });
    expect(status).toBe(504);
    expect(body.code).toBe('deadline_exceeded');
  });
});
