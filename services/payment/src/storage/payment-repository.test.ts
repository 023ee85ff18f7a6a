import { setTimeout as sleep } from 'node:timers/promises';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { isIdempotencyKeyInProgressError } from '../errors/idempotency-key-in-progress-error.ts';
import { isIdempotencyKeyReusedError } from '@shipshape/service-kit';
import {
  isProcessorUnavailableError,
  ProcessorUnavailableError,
} from '../errors/processor-unavailable-error.ts';
import { countingProcessor } from '../processor/counting-processor.test-helper.ts';
import { keyPrefix, keys } from './keys.ts';
import { PaymentRepository, requestHash, type PaymentRepositoryOptions } from './payment-repository.ts';
import { scanAllKeys, useRedisClients } from '@shipshape/service-kit/testing';

const redis = useRedisServer();
const client = useRedisClients(() => redis.url);

beforeEach(async () => {
  await client().flushall();
});

const repository = (options: Omit<PaymentRepositoryOptions, 'redis'> = {}): PaymentRepository =>
  new PaymentRepository({ redis: client(), ...options });

const body = { orderId: 'order-1', amountCents: 2599, currency: 'EUR' };
const input = { ...body, idempotencyKey: 'key-1' };

describe('charge', () => {
  it('charges once, stores the payment and answers it as new', async () => {
    const processor = countingProcessor();
    const payments = repository({ now: () => Date.UTC(2026, 0, 1) });
    const { payment, replayed } = await payments.charge(input, processor);
    expect(replayed).toBe(false);
    expect(payment).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      ...body,
      status: 'captured',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(processor.calls).toEqual([input]);
    expect(await payments.getPayment(payment.id)).toEqual(payment);
  });

  it('stores a declined outcome as a payment with status declined', async () => {
    const processor = countingProcessor(() =>
      Promise.resolve({ status: 'declined', reason: 'insufficient funds' }),
    );
    const { payment } = await repository().charge(input, processor);
    expect(payment.status).toBe('declined');
    expect(await repository().getPayment(payment.id)).toMatchObject({ status: 'declined' });
  });

  it('answers the same payment as a replay for the same key and body, without charging again', async () => {
    const processor = countingProcessor();
    const first = await repository().charge(input, processor);
    const second = await repository().charge({ ...input }, processor);
    expect(second).toEqual({ payment: first.payment, replayed: true });
    expect(processor.calls).toHaveLength(1);
  });

  it('replays a declined payment too, without charging again', async () => {
    const processor = countingProcessor(() => Promise.resolve({ status: 'declined', reason: 'no' }));
    const first = await repository().charge(input, processor);
    const second = await repository().charge(input, processor);
    expect(second.payment).toEqual(first.payment);
    expect(processor.calls).toHaveLength(1);
  });

  it('rejects the same key with a different body with IdempotencyKeyReusedError', async () => {
    const processor = countingProcessor();
    await repository().charge(input, processor);
    const error: unknown = await repository()
      .charge({ ...input, amountCents: 1 }, processor)
      .catch((e: unknown) => e);
    expect(isIdempotencyKeyReusedError(error)).toBe(true);
    expect(processor.calls).toHaveLength(1);
  });

  it('makes exactly one processor call for 20 concurrent duplicates on separate connections', async () => {
    const processor = countingProcessor(async () => {
      // Kept real: a slow processor call is what makes the 20 duplicates overlap.
      await sleep(50);
      return { status: 'captured' };
    });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => repository({ pollIntervalMs: 5 }).charge(input, processor)),
    );
    expect(processor.calls).toHaveLength(1);
    expect(new Set(results.map((r) => r.payment.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await repository().listPaymentsByOrder(body.orderId)).toHaveLength(1);
  });

  it('stores nothing and releases the key on a transient failure, so a retry charges', async () => {
    let fail = true;
    const processor = countingProcessor(() =>
      fail ? Promise.reject(new Error('connection reset')) : Promise.resolve({ status: 'captured' }),
    );
    const error: unknown = await repository()
      .charge(input, processor)
      .catch((e: unknown) => e);
    expect(isProcessorUnavailableError(error)).toBe(true);
    expect((error as Error).cause).toMatchObject({ message: 'connection reset' });
    expect(await scanAllKeys(client())).toEqual([]);
    fail = false;
    const retry = await repository().charge(input, processor);
    expect(retry.replayed).toBe(false);
    expect(processor.calls).toHaveLength(2);
  });

  it('passes a ProcessorUnavailableError from the processor through unchanged', async () => {
    const original = new ProcessorUnavailableError('quota exhausted');
    const error: unknown = await repository()
      .charge(
        input,
        countingProcessor(() => Promise.reject(original)),
      )
      .catch((e: unknown) => e);
    expect(error).toBe(original);
  });

  it('rejects with the abort reason, stores nothing and frees the key when the caller aborts', async () => {
    const controller = new AbortController();
    const deadline = new Error('deadline exceeded');
    const hanging = countingProcessor(
      () =>
        new Promise((_resolve, reject) => {
          controller.signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    const charging = repository().charge(input, hanging, controller.signal);
    await waitUntil(() => hanging.calls.length === 1);
    controller.abort(deadline);
    expect(await charging.catch((e: unknown) => e)).toBe(deadline);
    expect(await scanAllKeys(client())).toEqual([]);
  });

  it('fails a waiting duplicate with IdempotencyKeyInProgressError after waitTimeoutMs, without charging', async () => {
    let finish: () => void = () => {};
    const slow = countingProcessor(
      () => new Promise((resolve) => (finish = () => resolve({ status: 'captured' }))),
    );
    const first = repository().charge(input, slow);
    await waitUntil(() => slow.calls.length === 1);
    const error: unknown = await repository({ waitTimeoutMs: 100, pollIntervalMs: 10 })
      .charge(input, slow)
      .catch((e: unknown) => e);
    expect(isIdempotencyKeyInProgressError(error)).toBe(true);
    finish();
    expect((await first).replayed).toBe(false);
    expect(slow.calls).toHaveLength(1);
  });

  it('rejects a different body even while the first request is in flight', async () => {
    let finish: () => void = () => {};
    const slow = countingProcessor(
      () => new Promise((resolve) => (finish = () => resolve({ status: 'captured' }))),
    );
    const first = repository().charge(input, slow);
    await waitUntil(() => slow.calls.length === 1);
    const error: unknown = await repository()
      .charge({ ...input, currency: 'USD' }, slow)
      .catch((e: unknown) => e);
    expect(isIdempotencyKeyReusedError(error)).toBe(true);
    finish();
    await first;
  });

  it('renews the lease while the processor call outlives it, so a duplicate does not charge again', async () => {
    const slow = countingProcessor(async () => {
      await sleep(1500);
      return { status: 'captured' };
    });
    // Renewed every 133 ms; only an event-loop stall over 267 ms could let the 400 ms lease lapse.
    const first = repository({ leaseMs: 400 }).charge(input, slow);
    await waitUntil(() => slow.calls.length === 1);
    // Kept real: the lease expires by Redis's clock (PX), so only real time past it proves renewal.
    await sleep(900);
    const second = await repository({ pollIntervalMs: 10 }).charge(input, slow);
    expect(second.replayed).toBe(true);
    expect((await first).payment.id).toBe(second.payment.id);
    expect(slow.calls).toHaveLength(1);
  });

  it('writes nothing when a later step of the completing script would fail (all-or-nothing)', async () => {
    // Corrupt the order index so ZADD, after SET of the payment, would hit WRONGTYPE.
    await client().set(keys.orderPayments(body.orderId), 'not a sorted set');
    const error: unknown = await repository()
      .charge(input, countingProcessor())
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/WRONGTYPE/);
    const left = await scanAllKeys(client());
    expect(left).toEqual([keys.idempotency(input.idempotencyKey), keys.orderPayments(body.orderId)].sort());
    // The key stays claimed (pending) rather than released: the processor may have taken money.
    expect(await client().hget(keys.idempotency(input.idempotencyKey), 'state')).toBe('pending');
  });
});

describe('reads', () => {
  it('returns undefined for an unknown payment id', async () => {
    expect(await repository().getPayment('nope')).toBeUndefined();
  });

  it('lists the payments of one order oldest first, and none of other orders', async () => {
    let clock = 1_700_000_000_000;
    const payments = repository({ now: () => (clock += 1) });
    const processor = countingProcessor();
    const a = await payments.charge({ ...input, idempotencyKey: 'a' }, processor);
    await payments.charge({ ...input, orderId: 'order-2', idempotencyKey: 'b' }, processor);
    const c = await payments.charge({ ...input, amountCents: 5, idempotencyKey: 'c' }, processor);
    expect(await payments.listPaymentsByOrder('order-1')).toEqual([a.payment, c.payment]);
    expect(await payments.listPaymentsByOrder('order-3')).toEqual([]);
  });
});

describe('requestHash', () => {
  it('is the same for equal bodies whatever their key order, and differs when a field differs', () => {
    const reordered = { currency: 'EUR', amountCents: 2599, orderId: 'order-1' };
    expect(requestHash(reordered)).toBe(requestHash(body));
    expect(requestHash({ ...body, amountCents: 2598 })).not.toBe(requestHash(body));
  });
});

describe('options', () => {
  it.each([
    [{ leaseMs: 0 }, /leaseMs must be a finite number > 0, got 0/],
    [{ pollIntervalMs: -1 }, /pollIntervalMs must be .* got -1/],
    [{ waitTimeoutMs: Number.NaN }, /waitTimeoutMs must be .* got NaN/],
    [{ paymentRetentionMs: -5 }, /paymentRetentionMs must be .* got -5/],
    [{ paymentRetentionMs: 1_000, idempotencyRetentionMs: 5_000 }, /never outlives its payment, got 5000/],
  ])('rejects %o at construction with a RangeError naming it', (options, message) => {
    expect(() => repository(options)).toThrow(message);
  });
});

describe('retention', () => {
  const day = 86_400_000;

  it('keeps the done key 24 hours and the payment with its order list 7 days by default', async () => {
    const { payment } = await repository().charge(input, countingProcessor());
    const idem = await client().pttl(keys.idempotency('key-1'));
    expect(idem).toBeGreaterThan(day - 60_000);
    expect(idem).toBeLessThanOrEqual(day);
    for (const key of [keys.payment(payment.id), keys.orderPayments(body.orderId)]) {
      const ttl = await client().pttl(key);
      expect(ttl).toBeGreaterThan(7 * day - 60_000);
      expect(ttl).toBeLessThanOrEqual(7 * day);
    }
  });

  it('keeps everything when both retentions are 0', async () => {
    const payments = repository({ paymentRetentionMs: 0, idempotencyRetentionMs: 0 });
    const { payment } = await payments.charge(input, countingProcessor());
    for (const key of [
      keys.idempotency('key-1'),
      keys.payment(payment.id),
      keys.orderPayments(body.orderId),
    ]) {
      expect(await client().pttl(key)).toBe(-1);
    }
  });
});

describe('key layout', () => {
  it('writes only keys under the payment: prefix', async () => {
    const processor = countingProcessor();
    await repository().charge(input, processor);
    await repository().charge(input, processor);
    await repository()
      .charge(
        { ...input, idempotencyKey: 'failing' },
        countingProcessor(() => Promise.reject(new Error('x'))),
      )
      .catch(() => undefined);
    const all = await scanAllKeys(client());
    expect(all).toHaveLength(3);
    expect(all.every((key) => key.startsWith(keyPrefix))).toBe(true);
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i += 1) await sleep(5);
  expect(check()).toBe(true);
}
