import { waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { send, useApp } from './testing/start-app.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);

it(
  'answers 503 while Redis is down (/ready lists redis, requests get service_unavailable) and recovers',
  { timeout: 30_000 },
  async () => {
    const { url } = await startApp();
    await redis.kill();
    const ready = await send(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.failing).toEqual(['redis']);
    expect((await send(`${url}/health`)).status).toBe(200);
    const created = await send(`${url}/users`, { body: { email: 'down@example.com', name: 'Down' } });
    expect(created.status).toBe(503);
    expect(created.body.code).toBe('service_unavailable');
    expect(created.headers.get('retry-after')).toBe('1');
    expect(created.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    await redis.start();
    await waitFor('readiness to return', async () => (await send(`${url}/ready`)).status === 200, {
      timeoutMs: 15_000,
    });
  },
);
