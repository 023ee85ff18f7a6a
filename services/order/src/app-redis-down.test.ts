import { waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { send, useApp } from './testing/start-app.test-helper.ts';
import { useUserUpstream } from './testing/user-upstream.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);
const startUpstream = useUserUpstream();

it(
  'answers 503 while Redis is down (/ready lists redis, requests get service_unavailable) and recovers',
  { timeout: 30_000 },
  async () => {
    // A user service that knows the user, so only Redis fails.
    const upstream = await startUpstream();
    upstream.known.add('user-down');
    const { url } = await startApp({ values: { userServiceUrl: upstream.url } });
    const body = { userId: 'user-down', items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 100 }] };
    await redis.kill();
    const ready = await send(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.failing).toEqual(['redis']);
    expect((await send(`${url}/health`)).status).toBe(200);
    for (const answer of [await send(`${url}/orders`, { body }), await send(`${url}/orders/some-id`)]) {
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('service_unavailable');
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(answer.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    }
    await redis.start();
    await waitFor('readiness to return', async () => (await send(`${url}/ready`)).status === 200, {
      timeoutMs: 15_000,
    });
    expect((await send(`${url}/orders`, { body })).status).toBe(202);
  },
);
