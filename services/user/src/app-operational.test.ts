import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describeOperationalCases } from '@shipshape/service-kit/testing';
import { describe, expect, it } from 'vitest';
import { send, useApp } from './testing/start-app.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);

// The operational routes and the inbound rate limit every service shares (12 tests).
describeOperationalCases({ service: 'user', redisUrl: () => redis.url, startApp, collectionPath: '/users' });

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

describe('metrics.enabled', () => {
  const requestSeries = async (url: string): Promise<boolean> => {
    await send(`${url}/users/some-id`);
    const text = await (await fetch(`${url}/metrics`)).text();
    return text.includes('http_server_request_duration_seconds_count{');
  };

  it('records request metrics by default', async () => {
    const { url } = await startApp();
    expect(await requestSeries(url)).toBe(true);
  });

  it('leaves request metrics out with metrics.enabled = false, /metrics still answering', async () => {
    const { url } = await startApp({ values: { metrics: { enabled: false } } });
    expect(await requestSeries(url)).toBe(false);
  });
});
