import { describe, expect, it } from 'vitest';
import {
  createOrderBodySchema,
  createOrderHeadersSchema,
  idSchema,
  maxOrderItems,
  maxQuantity,
  maxUnitPriceCents,
} from './schemas.ts';

const item = { sku: 'SKU-1', quantity: 2, unitPriceCents: 1250 };
const valid = { userId: 'user-1', items: [item] };

describe('createOrderBodySchema', () => {
  it('accepts a valid body unchanged', () => {
    expect(createOrderBodySchema.parse(valid)).toEqual(valid);
  });

  it.each([
    ['no items', { ...valid, items: [] }],
    ['too many items', { ...valid, items: Array.from({ length: maxOrderItems + 1 }, () => item) }],
    ['a zero quantity', { ...valid, items: [{ ...item, quantity: 0 }] }],
    ['a fractional quantity', { ...valid, items: [{ ...item, quantity: 1.5 }] }],
    ['a quantity over the max', { ...valid, items: [{ ...item, quantity: maxQuantity + 1 }] }],
    ['a float price', { ...valid, items: [{ ...item, unitPriceCents: 12.5 }] }],
    ['a negative price', { ...valid, items: [{ ...item, unitPriceCents: -1 }] }],
    ['a price over the max', { ...valid, items: [{ ...item, unitPriceCents: maxUnitPriceCents + 1 }] }],
    ['a price as a string', { ...valid, items: [{ ...item, unitPriceCents: '1250' }] }],
    ['a sku with a slash', { ...valid, items: [{ ...item, sku: 'a/b' }] }],
    ['a sku with a control character', { ...valid, items: [{ ...item, sku: 'a\u0007' }] }],
    ['a userId with path traversal', { ...valid, userId: '../admin' }],
    ['a client-sent total', { ...valid, totalCents: 1 }],
    ['an unknown item field', { ...valid, items: [{ ...item, discount: 5 }] }],
  ])('rejects %s', (_label, body) => {
    expect(createOrderBodySchema.safeParse(body).success).toBe(false);
  });

  it('rejects a total over the maximum as an issue on items', () => {
    const huge = { sku: 'X', quantity: maxQuantity, unitPriceCents: maxUnitPriceCents };
    const result = createOrderBodySchema.safeParse({ ...valid, items: [huge] });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['items'],
        message: 'the order total must not exceed 10000000000 cents',
      }),
    ]);
  });

  it('lists every problem of a body at once', () => {
    const result = createOrderBodySchema.safeParse({ userId: 5, items: [{ sku: '', quantity: 0 }] });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'userId',
      'items.0.sku',
      'items.0.quantity',
      'items.0.unitPriceCents',
    ]);
  });
});

describe('headers and ids', () => {
  it('makes the Idempotency-Key optional but strict when present', () => {
    expect(createOrderHeadersSchema.safeParse({}).success).toBe(true);
    expect(createOrderHeadersSchema.safeParse({ 'idempotency-key': 'k 1' }).success).toBe(false);
  });

  it.each(['..', 'a/b', '%2e', 'x'.repeat(65), ''])('rejects the id %j', (id) => {
    expect(idSchema.safeParse(id).success).toBe(false);
  });
});
