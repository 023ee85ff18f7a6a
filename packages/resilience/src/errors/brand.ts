/**
 * Brands let `isXError` guards recognise errors from a second copy of this package (a copied
 * package can end up loaded twice, and then `instanceof` fails). Each error class stores its
 * brand under this registered symbol; guards check the brand, never only the prototype chain.
 */
export const errorBrand: unique symbol = Symbol.for('@shipshape/resilience/error-brand') as never;

/** True when `value` is an object carrying `brand` under {@link errorBrand}. */
export function hasBrand(value: unknown, brand: string): boolean {
  return (
    typeof value === 'object' && value !== null && (value as { [errorBrand]?: unknown })[errorBrand] === brand
  );
}
