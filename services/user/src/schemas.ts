/**
 * The zod schemas of every request and response of the user service. They validate requests
 * and are the single source of the OpenAPI document (`openapi.ts`), so the two cannot drift.
 */
import { createProblemSchema, idSchema } from '@shipshape/service-kit';
import { z } from 'zod';
import { errorCodes } from './errors.ts';

/** Opaque identifiers (shared by the services, see `@shipshape/service-kit`). */
export { idSchema };

/**
 * Characters never accepted in free text, as one class (one `pattern` in the OpenAPI document):
 * - C0 and C1 control characters (DEL included);
 * - explicit bidirectional formatting: embeddings, overrides (U+202A–U+202E) and isolates
 *   (U+2066–U+2069). They reorder the text around them when it is displayed, so a name could
 *   show as something else than it is (the "Trojan Source" trick). The implicit marks LRM, RLM
 *   and ALM (U+200E, U+200F, U+061C) stay allowed: names in right-to-left scripts use them, and
 *   they only set the direction of neutral characters next to them.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const plainText = /^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$/;

/** Longest accepted email (RFC 5321 path limit). */
export const maxEmailLength = 254;
/** Longest accepted display name, in UTF-16 code units after trimming. */
export const maxNameLength = 100;

/**
 * An email address. Stored exactly as given; uniqueness compares {@link normalizeEmail} forms, so
 * `Ada@Example.com` and `ada@example.com` are the same user.
 */
export const emailSchema = z.email().max(maxEmailLength).meta({ example: 'ada@example.com' });

/** The case-insensitive form used for uniqueness. */
export function normalizeEmail(email: string): string {
  return email.toLowerCase();
}

/**
 * A display name: trimmed, 1..100 characters, no control characters, no bidirectional
 * embedding, override or isolate characters. (Lone surrogates never get here: the service kit's
 * body parser refuses them in every string.)
 */
export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(maxNameLength)
  .regex(plainText, 'must not contain control characters or bidirectional embeddings, overrides or isolates')
  .meta({ example: 'Ada Lovelace' });

/** `POST /users` body. Unknown fields are rejected so typos surface as 400s. */
export const createUserBodySchema = z.strictObject({ email: emailSchema, name: nameSchema });
/** A validated `POST /users` body. */
export type CreateUserBody = z.output<typeof createUserBodySchema>;

/** `GET /users/:id` path parameters. */
export const userParamsSchema = z.object({ id: idSchema });

/** Default page size of `GET /users`. */
export const defaultPageLimit = 20;
/** Largest page size of `GET /users`. */
export const maxPageLimit = 100;

/** An opaque pagination cursor (base64url). */
export const cursorSchema = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned as nextCursor')
  .meta({ description: 'Opaque cursor: pass back `nextCursor` exactly as received.' });

/**
 * `GET /users` query. Query values arrive as strings; digits only, so `1e1` or `0x10` are
 * rejected. An absent limit becomes {@link defaultPageLimit} (a prefault: it is parsed like input).
 */
export const listUsersQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, `must be an integer between 1 and ${maxPageLimit}`)
    .transform(Number)
    .pipe(z.number().int().min(1).max(maxPageLimit))
    .prefault(String(defaultPageLimit))
    .meta({ description: `Page size, 1..${maxPageLimit}; default ${defaultPageLimit}.` }),
  cursor: cursorSchema.optional(),
});
/** A validated `GET /users` query. */
export type ListUsersQuery = z.output<typeof listUsersQuerySchema>;

/** A user as the API returns it. */
export const userSchema = z.object({
  id: idSchema,
  email: z.string().meta({ description: 'As given at creation.' }),
  name: z.string(),
  createdAt: z.iso.datetime(),
});
/** A user as the API returns it. */
export type User = z.output<typeof userSchema>;

/** One page of `GET /users`, oldest first; `nextCursor` is null on the last page. */
export const userPageSchema = z.object({ items: z.array(userSchema), nextCursor: cursorSchema.nullable() });
/** One page of users. */
export type UserPage = z.output<typeof userPageSchema>;

/** RFC 9457 problem document (`application/problem+json`). */
export const problemSchema = createProblemSchema(errorCodes);
