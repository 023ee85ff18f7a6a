import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it, vi } from 'vitest';
import { countingProcessor } from './processor/counting-processor.test-helper.ts';
import { ProcessorUnavailableError } from './errors/processor-unavailable-error.ts';
import { send, useApp } from './testing/start-app.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);
const newKey = (): string => `key-${crypto.randomUUID()}`;
const newOrder = (): string => `order-${crypto.randomUUID()}`;
const pay = (url: string, key: string | undefined, body: unknown) =>
  send(`${url}/payments`, { body, headers: key === undefined ? {} : { 'idempotency-key': key } });

describe('POST /payments', () => {
  it('charges and answers 201 with the captured payment', async () => {
    const { url } = await startApp();
    const body = { orderId: newOrder(), amountCents: 2599, currency: 'EUR' };
    const { status, body: payment } = await pay(url, newKey(), body);
    expect(status).toBe(201);
    expect(payment).toMatchObject({ ...body, status: 'captured' });
    expect(Object.keys(payment).sort()).toEqual([
      'amountCents',
      'createdAt',
      'currency',
      'id',
      'orderId',
      'status',
    ]);
  });

  it('answers a replay with the same key and body with 200 and the same payment, charging once', async () => {
    const processor = countingProcessor();
    const { url } = await startApp({ processor });
    const key = newKey();
    const body = { orderId: newOrder(), amountCents: 100, currency: 'USD' };
    const first = await pay(url, key, body);
    const second = await pay(url, key, { currency: 'USD', amountCents: 100, orderId: body.orderId });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body).toEqual(first.body);
    expect(processor.calls).toHaveLength(1);
  });

  it('charges exactly once for 20 concurrent requests with one key', async () => {
    const processor = countingProcessor(
      () => new Promise((resolve) => setTimeout(() => resolve({ status: 'captured' }), 50)),
    );
    const { url } = await startApp({ processor });
    const key = newKey();
    const body = { orderId: newOrder(), amountCents: 500, currency: 'EUR' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => pay(url, key, body)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(18).fill(200), 201].sort());
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(processor.calls).toHaveLength(1);
  });

  it('answers 422 idempotency_key_reused for the same key with another body', async () => {
    const { url } = await startApp();
    const key = newKey();
    const orderId = newOrder();
    expect((await pay(url, key, { orderId, amountCents: 100, currency: 'EUR' })).status).toBe(201);
    const reused = await pay(url, key, { orderId, amountCents: 101, currency: 'EUR' });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('answers 400 missing_idempotency_key without the header', async () => {
    const { url } = await startApp();
    const { status, body } = await pay(url, undefined, {
      orderId: newOrder(),
      amountCents: 1,
      currency: 'EUR',
    });
    expect(status).toBe(400);
    expect(body.code).toBe('missing_idempotency_key');
  });

  it('lists body and header problems together in one 400 validation_failed', async () => {
    const { url } = await startApp();
    const { status, body } = await pay(url, 'bad key with spaces', {
      orderId: '',
      amountCents: 1.5,
      currency: 'eur',
    });
    expect(status).toBe(400);
    expect(body.code).toBe('validation_failed');
    expect((body.errors ?? []).map((e) => e.path).sort()).toEqual([
      'amountCents',
      'currency',
      'headers.idempotency-key',
      'orderId',
    ]);
  });

  it('answers 503 processor_unavailable with Retry-After on a transient failure, and the key can be retried', async () => {
    let fail = true;
    const processor = countingProcessor(() =>
      fail ? Promise.reject(new ProcessorUnavailableError()) : Promise.resolve({ status: 'captured' }),
    );
    const { url } = await startApp({ processor, values: { processor: { retryAfterMs: 2500 } } });
    const key = newKey();
    const body = { orderId: newOrder(), amountCents: 100, currency: 'EUR' };
    const failed = await pay(url, key, body);
    expect(failed.status).toBe(503);
    expect(failed.body.code).toBe('processor_unavailable');
    expect(failed.headers.get('retry-after')).toBe('3');
    fail = false;
    expect((await pay(url, key, body)).status).toBe(201);
  });

  it('answers 409 idempotency_key_in_progress when a request with the key outlasts the wait', async () => {
    let release = (): void => {};
    const processor = countingProcessor(
      () => new Promise((resolve) => (release = () => resolve({ status: 'captured' }))),
    );
    const { url } = await startApp({ processor, waitTimeoutMs: 100 });
    const key = newKey();
    const body = { orderId: newOrder(), amountCents: 100, currency: 'EUR' };
    const first = pay(url, key, body);
    await vi.waitFor(() => expect(processor.calls).toHaveLength(1), { timeout: 5_000 });
    const second = await pay(url, key, body);
    release();
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('idempotency_key_in_progress');
    expect((await first).status).toBe(201);
  });
});

describe('chaos settings', () => {
  it('declines every charge with chaos.declineRate = 1', async () => {
    const { url } = await startApp({ values: { chaos: { declineRate: 1 } } });
    const { status, body } = await pay(url, newKey(), {
      orderId: newOrder(),
      amountCents: 100,
      currency: 'EUR',
    });
    expect(status).toBe(201);
    expect(body.status).toBe('declined');
  });

  it('answers 503 processor_unavailable for every charge with chaos.errorRate = 1', async () => {
    const { url } = await startApp({ values: { chaos: { errorRate: 1 } } });
    const { status, body } = await pay(url, newKey(), {
      orderId: newOrder(),
      amountCents: 100,
      currency: 'EUR',
    });
    expect(status).toBe(503);
    expect(body.code).toBe('processor_unavailable');
  });
});

describe('GET /payments', () => {
  it('answers GET /payments/:id with the payment and 404 not_found for an unknown id', async () => {
    const { url } = await startApp();
    const created = await pay(url, newKey(), { orderId: newOrder(), amountCents: 7, currency: 'EUR' });
    const found = await send(`${url}/payments/${created.body.id ?? ''}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual(created.body);
    const missing = await send(`${url}/payments/unknown-id`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
  });

  it('lists the payments of an order, oldest first, and none for an unknown order', async () => {
    const { url } = await startApp();
    const orderId = newOrder();
    const first = await pay(url, newKey(), { orderId, amountCents: 1, currency: 'EUR' });
    const second = await pay(url, newKey(), { orderId, amountCents: 2, currency: 'EUR' });
    const list = await send(`${url}/payments?orderId=${orderId}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([first.body, second.body]);
    expect((await send(`${url}/payments?orderId=${newOrder()}`)).body.items).toEqual([]);
  });

  it('answers 400 validation_failed without orderId', async () => {
    const { url } = await startApp();
    const { status, body } = await send(`${url}/payments`);
    expect(status).toBe(400);
    expect(body.code).toBe('validation_failed');
  });
});
