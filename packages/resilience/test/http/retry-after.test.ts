import { describe, expect, it } from 'vitest';
import { ConstantBackoff } from '../../src/policies/index.ts';
import { isUpstreamHttpError } from '../../src/http/index.ts';
import type { Fault } from './fault-server.ts';
import { rejectionOf, useFixtures } from './fixtures.ts';

const { server, client } = useFixtures();
const noDelay = new ConstantBackoff(0);

/** Answers `first` to the first request and 200 afterwards. */
function firstThenOk(first: Fault): (request: unknown) => Fault {
  let n = 0;
  return () => (n++ === 0 ? first : { kind: 'ok' });
}

describe('Retry-After', () => {
  it('waits at least the Retry-After of a 429 before the retry', async () => {
    const s = await server();
    s.fault(firstThenOk({ kind: 'status', status: 429, headers: { 'retry-after': '1' } }));
    const c = client({ service: 'svc', endpoints: s.url, backoff: noDelay });
    const res = await c.request({ path: '/' });
    expect(res).toMatchObject({ status: 200, attempts: 2 });
    expect(s.requests[1]!.at - s.requests[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('waits for the reset of a RateLimit header when there is no Retry-After', async () => {
    const s = await server();
    s.fault(firstThenOk({ kind: 'status', status: 503, headers: { ratelimit: '"default";r=0;t=1' } }));
    const c = client({ service: 'svc', endpoints: s.url, backoff: noDelay });
    await c.request({ path: '/' });
    expect(s.requests[1]!.at - s.requests[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('gives up at once, with the upstream hint, when Retry-After exceeds maxRetryAfterMs', async () => {
    const s = await server();
    s.fault({ kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    const c = client({ service: 'svc', endpoints: s.url, maxRetryAfterMs: 2000, backoff: noDelay });
    const error = await rejectionOf(c.request({ path: '/' }));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 30_000 });
    expect(s.requests).toHaveLength(1);
  });

  it('does not wait for a Retry-After longer than the remaining deadline', async () => {
    const s = await server();
    s.fault({ kind: 'status', status: 503, headers: { 'retry-after': '2' } });
    const c = client({ service: 'svc', endpoints: s.url, timeoutMs: 500, backoff: noDelay });
    const error = await rejectionOf(c.request({ path: '/' }));
    expect(isUpstreamHttpError(error)).toBe(true);
    expect(s.requests).toHaveLength(1);
  });

  it('keeps the Retry-After of the last 503 on the UpstreamHttpError', async () => {
    const s = await server();
    s.fault({ kind: 'status', status: 503, headers: { 'retry-after': '30' } });
    const c = client({ service: 'svc', endpoints: s.url, maxRetryAfterMs: 2000, backoff: noDelay });
    const error = await rejectionOf(c.request({ method: 'POST', path: '/', idempotencyKey: 'k' }));
    expect(error).toMatchObject({ code: 'upstream_http_error', status: 503, retryAfterMs: 30_000 });
    expect(s.requests).toHaveLength(1);
  });

  it('ends with RateLimitedError when every attempt answered 429', async () => {
    const s = await server();
    s.fault({ kind: 'status', status: 429, headers: { 'retry-after': '0' } });
    const c = client({ service: 'svc', endpoints: s.url, backoff: noDelay, maxAttempts: 3 });
    const error = await rejectionOf(c.request({ path: '/' }));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 0 });
    expect(s.requests).toHaveLength(3);
  });
});
