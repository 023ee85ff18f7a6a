import { RedisSource, setOverride } from '@shipshape/config/redis';
import { describeOperationalCases } from '@shipshape/service-kit/testing';
import { waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import { send, useApp } from './testing/start-app.test-helper.ts';
import { useUserUpstream } from './testing/user-upstream.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);
const startUpstream = useUserUpstream();

// The operational routes and the inbound rate limit every service shares (10 tests).
describeOperationalCases({
  service: 'order',
  redisUrl: () => redis.url,
  startApp,
  collectionPath: '/orders',
});

describe('configuration', () => {
  it('shows the order keys in /config with their defaults and sources', async () => {
    // /config is an admin route: it needs the operator token (service kit security).
    const adminToken = `admin-${crypto.randomUUID()}`;
    const { url } = await startApp({
      values: { userServiceUrl: 'http://10.9.8.7:3001', admin: { token: adminToken } },
    });
    const { body } = await send(`${url}/config`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(body['userServiceUrl']).toMatchObject({ value: 'http://10.9.8.7:3001', source: 'values' });
    expect(body['port']).toMatchObject({ value: 3002, source: 'default' });
    expect(body['userClient.timeoutMs']).toMatchObject({ value: 2_000, source: 'default' });
    expect(body['userClient.breakerOpenDurationMs']).toMatchObject({ value: 5_000, source: 'default' });
    expect(body['paymentServiceUrl']).toMatchObject({ value: 'http://127.0.0.1:3003', source: 'default' });
    expect(body['chaos.errorRate']).toMatchObject({ value: 0, source: 'default' });
  });
});

describe('runtime chaos', () => {
  it('applies chaos.errorRate set through a Redis config override to the next API request', async () => {
    const upstream = await startUpstream();
    upstream.known.add('user-chaos');
    const service = `order-test-${crypto.randomUUID()}`;
    const source = new RedisSource({ redis: redis.url, service });
    const {
      url,
      config,
      redis: client,
    } = await startApp({
      sources: [source],
      values: { userServiceUrl: upstream.url },
    });
    const body = { userId: 'user-chaos', items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 1 }] };
    expect((await send(`${url}/orders`, { body })).status).toBe(202);
    await setOverride(client, service, 'chaos.errorRate', 1);
    await waitFor('the override to load', () => config.get().chaos.errorRate === 1, { timeoutMs: 5_000 });
    const failed = await send(`${url}/orders`, { body });
    expect(failed.status).toBe(503);
    expect(failed.body.code).toBe('service_unavailable');
    expect(failed.headers.get('retry-after')).toBe('1');
    // Probes are not API requests: chaos never makes the service look unhealthy.
    expect((await send(`${url}/ready`)).status).toBe(200);
  });

  it('answers 504 deadline_exceeded when chaos.latencyMs outlasts the caller deadline', async () => {
    const { url } = await startApp({ values: { chaos: { latencyMs: 2_000 } } });
    const answer = await send(`${url}/orders/some-id`, { headers: { 'x-request-timeout-ms': '100' } });
    expect(answer.status).toBe(504);
    expect(answer.body.code).toBe('deadline_exceeded');
  });
});

describe('intake shedding (backpressure.shed)', () => {
  it('answers 503 payments_backlogged with Retry-After while the pipeline sheds, asking and storing nothing', async () => {
    let shedFor: number | undefined = 2_500;
    const lookups: string[] = [];
    const { url, redis: client } = await startApp({
      users: {
        lookup: (id) => {
          lookups.push(id);
          return Promise.resolve('exists');
        },
      },
      shedIntake: () => shedFor,
    });
    const body = { userId: 'user-1', items: [{ sku: 'A', quantity: 1, unitPriceCents: 100 }] };
    const outboxBefore = await client.xlen('order:outbox');
    const shed = await send(`${url}/orders`, { body });
    expect(shed.status).toBe(503);
    expect(shed.body.code).toBe('payments_backlogged');
    expect(shed.headers.get('retry-after')).toBe('3');
    expect(lookups).toEqual([]);
    expect(await client.xlen('order:outbox')).toBe(outboxBefore);
    // Reads are never shed, and intake resumes as soon as the pipeline caught up.
    expect((await send(`${url}/orders/some-id`)).status).toBe(404);
    shedFor = undefined;
    expect((await send(`${url}/orders`, { body })).status).toBe(202);
  });
});
