/**
 * Brands let `isXError` guards recognise errors thrown by a second copy of a module (a copied
 * service or a duplicated install loads it twice, and then `instanceof` fails). Each error class
 * stores its brand under this registered symbol; guards check the brand, never only the prototype.
 * Brands are namespaced by service (`@shipshape/order-service/IdempotencyKeyReusedError`), so two
 * services with an error class of the same name never recognise each other's errors.
 */
export const errorBrand: unique symbol = Symbol.for('@shipshape/service-kit/error-brand') as never;

/** Stores `brand` on `error` under {@link errorBrand}: non-enumerable, so logs and JSON skip it. */
export function brandError(error: Error, brand: string): void {
  Object.defineProperty(error, errorBrand, { value: brand });
}

/** True when `value` is an object carrying `brand` under {@link errorBrand}. */
export function hasBrand(value: unknown, brand: string): boolean {
  return (
    typeof value === 'object' && value !== null && (value as { [errorBrand]?: unknown })[errorBrand] === brand
  );
}
