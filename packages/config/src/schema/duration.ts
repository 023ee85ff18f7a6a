import * as z from 'zod';
import { withMarkers } from './markers.ts';

/**
 * A duration in milliseconds (a non-negative integer). String sources may write it with a
 * unit: `250ms`, `2s`, `1.5m`, `1h`, `1d`, combinations like `1m30s`, or a bare number (= ms).
 * JSON files may also use a plain number (ms).
 *
 * Pass your own number schema to add limits: `duration(z.number().int().max(60_000))`.
 * @param schema the number schema to mark; @default `z.number().int().nonnegative()`
 */
export function duration(schema: z.ZodNumber = z.number().int().nonnegative()): z.ZodNumber {
  return withMarkers(schema, { duration: true });
}
