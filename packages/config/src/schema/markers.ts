import * as z from 'zod';

/** What Shipshape config records about a schema beyond its zod type. */
export interface FieldMarkers {
  /** The value is a secret: redacted in describe(), toJSON(), util.inspect and error messages. */
  secret?: boolean;
  /** The value is a duration in milliseconds; string sources may write `250ms`, `2s`, `1m`. */
  duration?: boolean;
}

/**
 * The registry behind {@link secret} and {@link duration}. It lives on `globalThis` under a
 * registered symbol so that two loaded copies of this package (a copied package can end up
 * loaded twice) still see each other's markers: a secret must never be missed.
 */
const registryKey = Symbol.for('@shipshape/config/field-markers');
const holder = globalThis as { [registryKey]?: z.core.$ZodRegistry<FieldMarkers> };
export const fieldMarkers: z.core.$ZodRegistry<FieldMarkers> = (holder[registryKey] ??=
  z.registry<FieldMarkers>());

/** The markers of one schema node (zod follows clones, e.g. after `.describe()`). */
export function markersOf(schema: z.core.$ZodType): FieldMarkers {
  return fieldMarkers.get(schema) ?? {};
}

/** Returns a clone of `schema` carrying `markers` merged over the markers it already has. */
export function withMarkers<T extends z.ZodType>(schema: T, markers: FieldMarkers): T {
  const copy = schema.clone();
  fieldMarkers.add(copy, { ...markersOf(schema), ...markers });
  return copy;
}
