/**
 * Brand of the errors of this package. A guard checks the brand rather than `instanceof`,
 * because a copied package can end up loaded twice and then has two distinct classes.
 */
export const errorBrand: unique symbol = Symbol.for('@shipshape/observability/error');

/** True when `value` carries the brand and the given `name`. */
export function hasBrand(value: unknown, name: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [errorBrand]?: unknown })[errorBrand] === true &&
    (value as { name?: unknown }).name === name
  );
}
