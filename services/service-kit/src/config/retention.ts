import { duration } from '@shipshape/config';
import * as z from 'zod';

/** One day, in ms. */
export const dayMs = 86_400_000;

/**
 * A retention setting in ms: 0 keeps forever, at most ten years. The services' `retention.*`
 * keys use it, so every lifetime reads and validates the same way.
 */
export function retentionMs(defaultMs: number) {
  return duration(
    z
      .int()
      .min(0)
      .max(3_650 * dayMs),
  ).default(defaultMs);
}

/**
 * The rule between a stored record's retention (`recordKey`) and its `idempotencyKeyMs`: the
 * key must expire first (it is written with or after the record and points at it), so it is in
 * (0, record] unless the record is kept forever. As `check` and `params` for zod's `refine`.
 */
export function idempotencyKeyWithin<K extends string>(recordKey: K) {
  return {
    check: (retention: Record<K | 'idempotencyKeyMs', number>): boolean => {
      const record = retention[recordKey];
      return record === 0 || (retention.idempotencyKeyMs > 0 && retention.idempotencyKeyMs <= record);
    },
    params: {
      path: ['idempotencyKeyMs'],
      message: `must be in (0, retention.${recordKey}] so an Idempotency-Key never outlives what it points at`,
    },
  };
}
