import { describe, expect, it } from 'vitest';
import { computeTotalCents, maxOrderTotalCents } from './order-total.ts';

describe('computeTotalCents', () => {
  it('sums quantity times unit price in integer cents', () => {
    expect(
      computeTotalCents([
        { quantity: 3, unitPriceCents: 1999 },
        { quantity: 1, unitPriceCents: 1 },
        { quantity: 2, unitPriceCents: 0 },
      ]),
    ).toBe(5998);
  });

  it('is exact where floats in major units are not (0.1 + 0.2)', () => {
    expect(
      computeTotalCents([
        { quantity: 1, unitPriceCents: 10 },
        { quantity: 1, unitPriceCents: 20 },
      ]),
    ).toBe(30);
  });

  it('accepts a total of exactly the maximum', () => {
    expect(computeTotalCents([{ quantity: 10, unitPriceCents: maxOrderTotalCents / 10 }])).toBe(
      maxOrderTotalCents,
    );
  });

  it('rejects a total one cent over the maximum', () => {
    expect(() =>
      computeTotalCents([
        { quantity: 10, unitPriceCents: maxOrderTotalCents / 10 },
        { quantity: 1, unitPriceCents: 1 },
      ]),
    ).toThrow(/exceeds the maximum of 10000000000 cents/);
  });

  it('rejects a line whose product is beyond Number.MAX_SAFE_INTEGER even with a huge max', () => {
    expect(() =>
      computeTotalCents([{ quantity: 2 ** 30, unitPriceCents: 2 ** 30 }], Number.MAX_SAFE_INTEGER),
    ).toThrow(RangeError);
  });

  it.each([
    [{ quantity: 1.5, unitPriceCents: 1 }, /items\[0\]\.quantity/],
    [{ quantity: 0, unitPriceCents: 1 }, /items\[0\]\.quantity/],
    [{ quantity: 1, unitPriceCents: 0.5 }, /items\[0\]\.unitPriceCents/],
    [{ quantity: 1, unitPriceCents: -1 }, /items\[0\]\.unitPriceCents/],
  ])('rejects the item %o with a RangeError naming the field', (item, message) => {
    expect(() => computeTotalCents([item])).toThrow(message);
  });
});
