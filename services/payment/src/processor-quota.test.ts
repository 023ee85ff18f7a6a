import { once } from 'node:events';
import { RedisRateLimiter, rateLimitRedisOptions } from '@shipshape/resilience';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countingProcessor } from './processor/counting-processor.test-helper.ts';
import { send, useApp } from './testing/start-app.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);
const clients: Redis[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.quit().catch(() => {})));
});

/** A quota limiter on the harness Redis; every app given the same name shares one quota. */
async function quotaLimiter(name: string, limit: number, windowMs: number): Promise<RedisRateLimiter> {
  const client = new Redis(redis.url, rateLimitRedisOptions());
  clients.push(client);
  await once(client, 'ready');
  return new RedisRateLimiter({ client, name, algorithm: 'gcra', limit, windowMs });
}

const pay = (url: string, key: string, orderId: string) =>
  send(`${url}/payments`, {
    body: { orderId, amountCents: 100, currency: 'EUR' },
    headers: { 'idempotency-key': key },
  });

describe('processor quota', () => {
  it('admits at most the quota across two replicas and answers the rest 503 with the quota Retry-After', async () => {
    const name = `quota-${crypto.randomUUID()}`;
    const values = { processor: { quota: { limit: 6, windowMs: 60_000 } } };
    const processor = countingProcessor();
    const replicas = await Promise.all(
      [0, 1].map(async () =>
        startApp({ values, processor, processorQuota: await quotaLimiter(name, 6, 60_000) }),
      ),
    );
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const id = `o-${i}-${crypto.randomUUID()}`;
        return pay(replicas[i % 2]!.url, id, id);
      }),
    );
    const captured = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 503);
    expect(captured).toHaveLength(6);
    expect(refused).toHaveLength(14);
    expect(processor.calls).toHaveLength(6);
    for (const answer of refused) {
      expect(answer.body.code).toBe('processor_unavailable');
      // GCRA with 6 per 60 s frees one unit every 10 s: the quota's hint, not processor.retryAfterMs (1 s).
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(9);
    }
  });

  it('stores nothing for a charge over the quota, so the same key succeeds once the quota has room', async () => {
    const name = `quota-${crypto.randomUUID()}`;
    const values = { processor: { quota: { limit: 1, windowMs: 300 } } };
    const { url } = await startApp({ values, processorQuota: await quotaLimiter(name, 1, 300) });
    expect((await pay(url, 'first', 'order-1')).status).toBe(201);
    const refused = await pay(url, 'second', 'order-2');
    expect(refused.status).toBe(503);
    // The quota frees its unit after 300 ms of Redis time: retry the same key until it has room
    // (a refused charge takes no unit, so the retries do not delay it).
    const retried = await vi.waitFor(
      async () => {
        const answer = await pay(url, 'second', 'order-2');
        expect(answer.status).toBe(201);
        return answer;
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ orderId: 'order-2', status: 'captured' });
  });
});
