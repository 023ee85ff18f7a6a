/**
 * The outcome of turning one string into a typed value. A failure carries the reason without
 * the input, so the caller decides whether the input may be shown (never for secrets).
 */
export type CoerceResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/** A successful coercion. */
export const coerced = (value: unknown): CoerceResult => ({ ok: true, value });

/** A failed coercion with its reason. */
export const rejected = (reason: string): CoerceResult => ({ ok: false, reason });
