import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { rateLimitMiddleware, type RateLimitMiddlewareOptions } from './express-middleware.ts';
import { MemoryRateLimiter } from './memory-rate-limiter.ts';
import { rateLimitHeaders } from './ratelimit-headers.ts';

const T0 = 1_800_000_000_000;
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(options: RateLimitMiddlewareOptions): Promise<string> {
  const app = express();
  app.use(rateLimitMiddleware(options));
  app.get('/hello', (_req, res) => {
    res.json({ hello: 'world' });
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ message: error.message });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function fixedWindow(limit: number, windowMs = 60_000, at = T0 + 17_000): MemoryRateLimiter {
  return new MemoryRateLimiter({ algorithm: 'fixed-window', limit, windowMs, clock: () => at });
}

describe('rateLimitMiddleware', () => {
  it('sets RateLimit and RateLimit-Policy on an allowed response', async () => {
    const url = await serve({ limiter: fixedWindow(100) });
    const response = await fetch(`${url}/hello`);
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60');
    expect(response.headers.get('ratelimit')).toBe('"default";r=99;t=43');
    expect(response.headers.get('retry-after')).toBeNull();
  });

  it('answers 429 problem+json with Retry-After and the headers once the limit is spent', async () => {
    const url = await serve({ limiter: fixedWindow(1), policy: 'per-ip' });
    await fetch(`${url}/hello`);
    const response = await fetch(`${url}/hello`);
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('retry-after')).toBe('43');
    expect(response.headers.get('ratelimit')).toBe('"per-ip";r=0;t=43');
    expect(response.headers.get('ratelimit-policy')).toBe('"per-ip";q=1;w=60');
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Rate limit exceeded; retry after 43 s.',
      code: 'rate_limited',
    });
  });

  it('keys by a header when asked, so different callers have separate quotas', async () => {
    const url = await serve({ limiter: fixedWindow(1), key: { header: 'X-Api-Key' } });
    const call = (key: string) => fetch(`${url}/hello`, { headers: { 'x-api-key': key } });
    expect((await call('a')).status).toBe(200);
    expect((await call('a')).status).toBe(429);
    expect((await call('b')).status).toBe(200);
  });

  it('keys and costs by functions of the request', async () => {
    const url = await serve({
      limiter: fixedWindow(5),
      key: () => 'everyone',
      cost: (req) => Number(req.headers['x-cost'] ?? 1),
    });
    const first = await fetch(`${url}/hello`, { headers: { 'x-cost': '4' } });
    expect(first.headers.get('ratelimit')).toBe('"default";r=1;t=43');
    expect((await fetch(`${url}/hello`, { headers: { 'x-cost': '2' } })).status).toBe(429);
  });

  it('follows limits changed at runtime', async () => {
    const limiter = fixedWindow(1);
    const url = await serve({ limiter });
    await fetch(`${url}/hello`);
    expect((await fetch(`${url}/hello`)).status).toBe(429);
    limiter.setLimits({ limit: 3 });
    const response = await fetch(`${url}/hello`);
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-policy')).toBe('"default";q=3;w=60');
  });

  it('reads the limiter through a getter on every request', async () => {
    let current = fixedWindow(1);
    const url = await serve({ limiter: () => current });
    await fetch(`${url}/hello`);
    current = fixedWindow(10);
    expect((await fetch(`${url}/hello`)).headers.get('ratelimit-policy')).toBe('"default";q=10;w=60');
  });

  it('passes limiter errors to the error handler', async () => {
    const url = await serve({ limiter: fixedWindow(5), cost: () => 0 });
    const response = await fetch(`${url}/hello`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'cost must be a positive integer, got 0' });
  });

  it('rejects a bad static cost or policy name at construction', () => {
    expect(() => rateLimitMiddleware({ limiter: fixedWindow(1), cost: 0 })).toThrow(
      'cost must be a positive integer, got 0',
    );
    expect(() => rateLimitMiddleware({ limiter: fixedWindow(1), policy: 'naïve' })).toThrow(
      'printable ASCII',
    );
  });
});

describe('rateLimitHeaders', () => {
  it('escapes quotes and backslashes in the policy name (sf-string)', () => {
    const headers = rateLimitHeaders(
      'a"b\\c',
      { allowed: true, limit: 5, remaining: 4, resetMs: 1, retryAfterMs: 0 },
      500,
    );
    expect(headers['RateLimit-Policy']).toBe('"a\\"b\\\\c";q=5;w=1');
    expect(headers.RateLimit).toBe('"a\\"b\\\\c";r=4;t=1');
  });

  it('rounds waits up to whole seconds and never sends Retry-After 0', () => {
    const headers = rateLimitHeaders(
      'p',
      { allowed: false, limit: 5, remaining: 0, resetMs: 10, retryAfterMs: 10 },
      60_000,
    );
    expect(headers['Retry-After']).toBe('1');
    expect(headers.RateLimit).toBe('"p";r=0;t=1');
  });
});
