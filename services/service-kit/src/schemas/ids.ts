import { z } from 'zod';

/**
 * Opaque identifiers: URL-safe characters only, bounded length. Everything that could escape a
 * path segment or a Redis key (`/`, `.`, `%`, whitespace, control characters) is rejected.
 */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-"')
  .meta({ description: 'Opaque identifier.', example: '0192f0c5-5b7e-7c3a-9a51-3f1f0e0c9b2d' });

/**
 * The `Idempotency-Key` header value: 1..128 characters of `A-Z a-z 0-9 _ - . :`, enough for
 * UUIDs, ULIDs and `<scope>:<id>` keys, and nothing that needs escaping in a Redis key or a log
 * line. Services add their own `.meta({ example })` and decide whether the header is required.
 */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 characters of A-Z, a-z, 0-9, "_", "-", "." or ":"');
