import { describe, expect, it } from 'vitest';
import {
  createPaymentBodySchema,
  createPaymentHeadersSchema,
  idSchema,
  listPaymentsQuerySchema,
  maxAmountCents,
} from './schemas.ts';

const valid = { orderId: 'order-1', amountCents: 2599, currency: 'EUR' };

describe('createPaymentBodySchema', () => {
  it('accepts a valid body unchanged', () => {
    expect(createPaymentBodySchema.parse(valid)).toEqual(valid);
  });

  it('accepts zero and the maximum amount', () => {
    expect(createPaymentBodySchema.safeParse({ ...valid, amountCents: 0 }).success).toBe(true);
    expect(createPaymentBodySchema.safeParse({ ...valid, amountCents: maxAmountCents }).success).toBe(true);
  });

  it.each([
    ['a float amount', { ...valid, amountCents: 25.99 }],
    ['a negative amount', { ...valid, amountCents: -1 }],
    ['an amount over the maximum', { ...valid, amountCents: maxAmountCents + 1 }],
    ['an unsafe integer amount', { ...valid, amountCents: 2 ** 60 }],
    ['an amount as a string', { ...valid, amountCents: '2599' }],
    ['NaN', { ...valid, amountCents: Number.NaN }],
    ['Infinity', { ...valid, amountCents: Number.POSITIVE_INFINITY }],
    ['a lower-case currency', { ...valid, currency: 'eur' }],
    ['a 4-letter currency', { ...valid, currency: 'EURO' }],
    ['an orderId with path traversal', { ...valid, orderId: '../../etc' }],
    ['an orderId with a control character', { ...valid, orderId: 'o\u0000' }],
    ['an unknown field', { ...valid, tip: 1 }],
  ])('rejects %s', (_label, body) => {
    expect(createPaymentBodySchema.safeParse(body).success).toBe(false);
  });

  it('lists every problem of a body at once', () => {
    const result = createPaymentBodySchema.safeParse({ amountCents: 1.5, currency: 'x' });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'orderId',
      'amountCents',
      'currency',
    ]);
  });
});

describe('createPaymentHeadersSchema', () => {
  it.each(['a b', 'a\nb', '', 'x'.repeat(129), 'ключ'])('rejects the Idempotency-Key %j', (key) => {
    expect(createPaymentHeadersSchema.safeParse({ 'idempotency-key': key }).success).toBe(false);
  });

  it('accepts a UUID and a scoped key', () => {
    for (const key of ['0192f0c5-5b7e-7c3a-9a51-3f1f0e0c9b2d', 'order:123.v2']) {
      expect(createPaymentHeadersSchema.safeParse({ 'idempotency-key': key }).success).toBe(true);
    }
  });
});

describe('ids and queries', () => {
  it.each(['..', 'a/b', '%2F', ' a', 'x'.repeat(65)])('rejects the id %j', (id) => {
    expect(idSchema.safeParse(id).success).toBe(false);
  });

  it('requires orderId in the list query', () => {
    expect(listPaymentsQuerySchema.safeParse({}).success).toBe(false);
    expect(listPaymentsQuerySchema.parse({ orderId: 'o-1' })).toEqual({ orderId: 'o-1' });
  });
});
