/** Largest order total in minor units; equals the payment service's largest chargeable amount. */
export const maxOrderTotalCents = 10_000_000_000;

/** The part of an order item that prices it. */
export interface PricedItem {
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/**
 * The order total in integer minor units, computed server-side (a client-sent total is never
 * trusted). Every product and partial sum is checked to stay a safe integer and within
 * `maxTotalCents`, so floating-point rounding can never creep in.
 * @throws {RangeError} when an input is not a non-negative safe integer or the total exceeds the max.
 */
export function computeTotalCents(items: readonly PricedItem[], maxTotalCents = maxOrderTotalCents): number {
  let total = 0;
  for (const [index, { quantity, unitPriceCents }] of items.entries()) {
    if (!Number.isSafeInteger(quantity) || quantity < 1) {
      throw new RangeError(`items[${index}].quantity must be a positive safe integer, got ${quantity}`);
    }
    if (!Number.isSafeInteger(unitPriceCents) || unitPriceCents < 0) {
      throw new RangeError(
        `items[${index}].unitPriceCents must be a non-negative safe integer, got ${unitPriceCents}`,
      );
    }
    const line = quantity * unitPriceCents;
    total += line;
    if (!Number.isSafeInteger(line) || !Number.isSafeInteger(total) || total > maxTotalCents) {
      throw new RangeError(`the order total exceeds the maximum of ${maxTotalCents} cents`);
    }
  }
  return total;
}
