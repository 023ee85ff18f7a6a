/**
 * Brands let `isXError` guards recognise errors thrown by a second copy of this module (a copied
 * service or a duplicated install loads it twice, and then `instanceof` fails). Each error class
 * stores its brand under this registered symbol; guards check the brand, never only the prototype.
 */
export const errorBrand: unique symbol = Symbol.for('@shipshape/order-service/error-brand') as never;

/** True when `value` is an object carrying `brand` under {@link errorBrand}. */
export function hasBrand(value: unknown, brand: string): boolean {
  return (
    typeof value === 'object' && value !== null && (value as { [errorBrand]?: unknown })[errorBrand] === brand
  );
}
