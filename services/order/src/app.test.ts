import { useRedisServer } from '@shipshape/test-harness/vitest';
import { useRedisClients } from '@shipshape/service-kit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from './storage/keys.ts';
import type { PaymentJob } from './storage/payment-job.ts';
import { send, useApp, type RunningApp } from './testing/start-app.test-helper.ts';
import { useUserService, type RunningUserService } from './testing/user-service.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);
const startUserService = useUserService(() => redis.url);
const client = useRedisClients(() => redis.url);

beforeEach(async () => {
  await client().flushall();
});

const items = [
  { sku: 'SKU-1', quantity: 3, unitPriceCents: 1999 },
  { sku: 'SKU-2', quantity: 1, unitPriceCents: 500 },
];
const newKey = (): string => `key-${crypto.randomUUID()}`;

/** The order app wired to the real user service (in-process, same harness Redis). */
async function start(values: object = {}): Promise<RunningApp & { users: RunningUserService }> {
  const users = await startUserService();
  const app = await startApp({ values: { userServiceUrl: users.url, ...values } });
  return { ...app, users };
}

const order = (url: string, body: unknown, key?: string) =>
  send(`${url}/orders`, { body, headers: key === undefined ? {} : { 'idempotency-key': key } });

/** The payment jobs in the outbox, oldest first. */
async function outbox(app: RunningApp): Promise<PaymentJob[]> {
  const entries = await app.redis.xrange(keys.outbox, '-', '+');
  return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('payload') + 1]!) as PaymentJob);
}

/** Every `order:` key in Redis. */
async function orderKeys(app: RunningApp): Promise<string[]> {
  return app.redis.keys('order:*');
}

describe('POST /orders', () => {
  it('accepts an order of an existing user with 202, the server-computed total and status pending', async () => {
    const app = await start();
    const userId = await app.users.createUser();
    const { status, body } = await order(app.url, { userId, items });
    expect(status).toBe(202);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      userId,
      items,
      totalCents: 3 * 1999 + 500,
      status: 'pending',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    });
  });

  it('stores the payment job in the outbox with the order, in the repository currency', async () => {
    const app = await start();
    const { body } = await order(app.url, { userId: await app.users.createUser(), items });
    expect(await outbox(app)).toEqual([{ orderId: body.id, amountCents: 6497, currency: 'USD' }]);
  });

  it('answers 422 unknown_user for a user the user service does not know, storing nothing', async () => {
    const app = await start();
    const { status, body, headers } = await order(app.url, { userId: 'no-such-user', items });
    expect(status).toBe(422);
    expect(body.code).toBe('unknown_user');
    expect(headers.get('content-type')).toContain('application/problem+json');
    expect(await orderKeys(app)).toEqual([]);
  });

  it('answers a replay with the same Idempotency-Key and body with 202 and the same order, storing one', async () => {
    const app = await start();
    const userId = await app.users.createUser();
    const key = newKey();
    const first = await order(app.url, { userId, items }, key);
    const second = await order(app.url, { items: [...items], userId }, key);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body).toEqual(first.body);
    expect(await outbox(app)).toHaveLength(1);
  });

  it('creates one order and one outbox entry for 20 concurrent requests with one key', async () => {
    const app = await start();
    const userId = await app.users.createUser();
    const key = newKey();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => order(app.url, { userId, items }, key)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array<number>(20).fill(202));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await outbox(app)).toHaveLength(1);
    expect((await orderKeys(app)).filter((k) => k.startsWith('order:order:'))).toHaveLength(1);
  });

  it('creates distinct orders for the same body without an Idempotency-Key', async () => {
    const app = await start();
    const userId = await app.users.createUser();
    const first = await order(app.url, { userId, items });
    const second = await order(app.url, { userId, items });
    expect(first.body.id).not.toBe(second.body.id);
    expect(await outbox(app)).toHaveLength(2);
  });

  it('answers 422 idempotency_key_reused for the same key with another body', async () => {
    const app = await start();
    const userId = await app.users.createUser();
    const key = newKey();
    expect((await order(app.url, { userId, items }, key)).status).toBe(202);
    const reused = await order(app.url, { userId, items: [{ ...items[0]!, quantity: 4 }] }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(await outbox(app)).toHaveLength(1);
  });

  it('lists body and header problems together in one 400 validation_failed', async () => {
    const app = await start();
    const { status, body } = await order(
      app.url,
      { userId: '', items: [{ sku: 'SKU-1', quantity: 0, unitPriceCents: 1.5 }], totalCents: 1 },
      'bad key with spaces',
    );
    expect(status).toBe(400);
    expect(body.code).toBe('validation_failed');
    expect((body.errors ?? []).map((e) => e.path).sort()).toEqual([
      '',
      'headers.idempotency-key',
      'items.0.quantity',
      'items.0.unitPriceCents',
      'userId',
    ]);
  });

  it('counts new orders in orders_total{status="pending"}, not Idempotency-Key replays', async () => {
    const app = await start();
    const userId = await app.users.createUser();
    const key = newKey();
    await order(app.url, { userId, items }, key);
    await order(app.url, { userId, items }, key);
    await order(app.url, { userId, items });
    await order(app.url, { userId: 'no-such-user', items });
    const { text } = await send(`${app.url}/metrics`);
    expect(text).toMatch(/orders_total\{[^}]*status="pending"[^}]*\} 2\n/);
  });

  it('records the user lookups in http_client_request_duration_seconds and the breaker state', async () => {
    const app = await start();
    await order(app.url, { userId: await app.users.createUser(), items });
    await order(app.url, { userId: 'no-such-user', items });
    const { text } = await send(`${app.url}/metrics`);
    const port = new URL(app.users.url).port;
    for (const status of ['200', '404']) {
      expect(text).toMatch(
        new RegExp(
          `http_client_request_duration_seconds_count\\{(?=[^}]*peer_service="user")(?=[^}]*status_code="${status}")[^}]*\\} 1\\n`,
        ),
      );
    }
    expect(text).toMatch(
      new RegExp(
        `resilience_circuit_breaker_state\\{(?=[^}]*name="user/127\\.0\\.0\\.1:${port}")(?=[^}]*state="closed")[^}]*\\} 1\\n`,
      ),
    );
  });

  it('answers 405 with Allow for a method /orders does not have', async () => {
    const app = await start();
    const { status, body, headers } = await send(`${app.url}/orders`, { method: 'PUT', body: {} });
    expect(status).toBe(405);
    expect(body.code).toBe('method_not_allowed');
    expect(headers.get('allow')).toContain('POST');
  });
});

describe('GET /orders/:id', () => {
  it('answers 200 with the stored order and its current status', async () => {
    const app = await start();
    const created = await order(app.url, { userId: await app.users.createUser(), items });
    const { status, body } = await send(`${app.url}/orders/${created.body.id}`);
    expect(status).toBe(200);
    expect(body).toEqual(created.body);
  });

  it('answers 404 not_found for an unknown id', async () => {
    const app = await start();
    const { status, body } = await send(`${app.url}/orders/${crypto.randomUUID()}`);
    expect(status).toBe(404);
    expect(body.code).toBe('not_found');
  });

  it('answers 405 with Allow: GET for DELETE', async () => {
    const app = await start();
    const { status, body, headers } = await send(`${app.url}/orders/x`, { method: 'DELETE' });
    expect(status).toBe(405);
    expect(body.code).toBe('method_not_allowed');
    expect(headers.get('allow')).toContain('GET');
  });
});

describe('everything else', () => {
  it('answers an unknown route 404 not_found as problem+json', async () => {
    const app = await start();
    const { status, body, headers } = await send(`${app.url}/nowhere`);
    expect(status).toBe(404);
    expect(body.code).toBe('not_found');
    expect(headers.get('content-type')).toContain('application/problem+json');
  });

  it("answers 400 validation_failed to a zero deadline: the caller's mistake, not an expiry", async () => {
    const app = await start();
    const { status, body } = await send(`${app.url}/orders/x`, { headers: { 'x-request-timeout-ms': '0' } });
    expect(status).toBe(400);
    expect(body.code).toBe('validation_failed');
  });
});
