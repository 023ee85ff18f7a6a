import { RedisSource, setOverride } from '@shipshape/config/redis';
import { waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describeOperationalCases } from '@shipshape/service-kit/testing';
import { describe, expect, it } from 'vitest';
import { send, useApp } from './testing/start-app.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);

// The operational routes and the inbound rate limit every service shares (12 tests).
describeOperationalCases({
  service: 'payment',
  redisUrl: () => redis.url,
  startApp,
  collectionPath: '/payments',
});

describe('runtime chaos', () => {
  it('applies chaos.errorRate set through a Redis config override to the next charge', async () => {
    const service = `payment-test-${crypto.randomUUID()}`;
    const source = new RedisSource({ redis: redis.url, service });
    const { url, config, redis: client } = await startApp({ sources: [source] });
    const body = { orderId: 'order-chaos', amountCents: 100, currency: 'EUR' };
    const charge = () =>
      send(`${url}/payments`, { body, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect((await charge()).status).toBe(201);
    await setOverride(client, service, 'chaos.errorRate', 1);
    await waitFor('the override to load', () => config.get().chaos.errorRate === 1, { timeoutMs: 5_000 });
    const failed = await charge();
    expect(failed.status).toBe(503);
    expect(failed.body.code).toBe('processor_unavailable');
  });

  it('counts new payments in payments_total by outcome', async () => {
    const { url } = await startApp({ values: { chaos: { declineRate: 1 } } });
    await send(`${url}/payments`, {
      body: { orderId: 'order-count', amountCents: 1, currency: 'EUR' },
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
    const { text } = await send(`${url}/metrics`);
    expect(text).toMatch(/payments_total\{[^}]*outcome="declined"[^}]*\} 1/);
  });
});
