/**
 * Every Redis key of the user service, in one place. All start with {@link keyPrefix} so the
 * service can share a Redis with the others (and a test SCANs for strays).
 *
 * | key | type | holds |
 * |---|---|---|
 * | `user:user:<id>` | string | the user as JSON |
 * | `user:email:<lower-case email>` | string | id of the user holding that email |
 * | `user:users` | sorted set, all scores 0 | every user id, ordered lexicographically = by creation |
 */
export const keyPrefix = 'user:';

/** The key names of the user service. */
export const keys = {
  user: (id: string): string => `${keyPrefix}user:${id}`,
  email: (normalizedEmail: string): string => `${keyPrefix}email:${normalizedEmail}`,
  users: `${keyPrefix}users`,
} as const;
