import type * as z from 'zod';
import { withMarkers } from './markers.ts';

/**
 * Marks a field as secret. Its value stays readable through `config.get()` (the app needs it),
 * but it is shown as {@link REDACTED} by `describe()`, `toJSON()`, `JSON.stringify` and
 * `util.inspect` of the config and its snapshots, and never echoed in validation errors.
 *
 * Wrap the innermost schema or the whole field; both work:
 * `secret(z.string().min(12))`, `secret(z.string()).optional()`.
 *
 * Returns a marked clone, so the schema you pass in is left unmarked.
 */
export function secret<T extends z.ZodType>(schema: T): T {
  return withMarkers(schema, { secret: true });
}

/** The text that replaces a secret value wherever it could leak. */
export const REDACTED = '[redacted]';
