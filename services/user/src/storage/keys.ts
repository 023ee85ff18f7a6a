import {
  clusterPartitionCount,
  idInPartition,
  isClusterClient,
  partitionOfId,
  partitionOfValue,
  partitionTag,
  type RedisClient,
} from '@shipshape/service-kit';

/**
 * Every Redis key of the user service, in one place. All start with {@link keyPrefix} so the
 * service can share a Redis with the others (and a test SCANs for strays).
 *
 * | key | type | holds |
 * |---|---|---|
 * | `user:user:<id>` | string | the user as JSON |
 * | `user:email:<lower-case email>` | string | id of the user holding that email |
 * | `user:users` | sorted set, all scores 0 | every user id, ordered lexicographically = by creation |
 *
 * This is the layout on one Redis node. On a Redis Cluster see {@link clusterUserKeys}.
 */
export const keyPrefix = 'user:';

/** The key names of the user service. */
export const keys = {
  user: (id: string): string => `${keyPrefix}user:${id}`,
  email: (normalizedEmail: string): string => `${keyPrefix}email:${normalizedEmail}`,
  users: `${keyPrefix}users`,
} as const;

/**
 * Where the user service keeps its keys: one node ({@link nodeUserKeys}: the table of
 * {@link keys}) or a Redis Cluster ({@link clusterUserKeys}: partitions).
 */
export interface UserKeyLayout {
  /** Partitions of the id index; a listing merges them. 1 on one node. */
  readonly partitions: number;
  user(id: string): string;
  email(normalizedEmail: string): string;
  /** The id index (sorted set) of `partition`. */
  users(partition: number): string;
  /** The partition holding the user `id`. */
  partitionOfUser(id: string): number;
  /** The partition of an email: its user's id is minted there. */
  partitionOfEmail(normalizedEmail: string): number;
  /** `id` re-minted so that the user lands in `partition`. */
  userIdIn(id: string, partition: number): string;
}

/** The one-node layout: exactly {@link keys} (unchanged for existing data). */
export const nodeUserKeys: UserKeyLayout = {
  partitions: 1,
  user: keys.user,
  email: keys.email,
  users: () => keys.users,
  partitionOfUser: () => 0,
  partitionOfEmail: () => 0,
  userIdIn: (id) => id,
};

const tag = (partition: number): string => `${keyPrefix}${partitionTag('user', partition)}`;

/**
 * The Redis Cluster layout: a user lives in its email's partition (hash tag `{user-<k>}`, `k` =
 * hash of the lower-cased email, 8 partitions), so claiming the email, writing the record and
 * indexing the id stay one atomic script on one slot, and email uniqueness holds exactly as on
 * one node. The id is minted in that partition (its last hex digit), so a lookup by id finds it.
 *
 * | key | holds |
 * |---|---|
 * | `user:{user-<k>}:user:<id>` | the user |
 * | `user:{user-<k>}:email:<email>` | id of the user holding that email |
 * | `user:{user-<k>}:users` | the ids of partition `k`; a listing merges the 8 indexes |
 */
export const clusterUserKeys: UserKeyLayout = {
  partitions: clusterPartitionCount,
  user: (id) => `${tag(partitionOfId(id))}:user:${id}`,
  email: (email) => `${tag(partitionOfValue(email))}:email:${email}`,
  users: (partition) => `${tag(partition)}:users`,
  partitionOfUser: (id) => partitionOfId(id),
  partitionOfEmail: (email) => partitionOfValue(email),
  userIdIn: (id, partition) => idInPartition(id, partition),
};

/** The layout for `redis`: {@link clusterUserKeys} on an ioredis `Cluster`, else {@link nodeUserKeys}. */
export function userKeyLayout(redis: RedisClient): UserKeyLayout {
  return isClusterClient(redis) ? clusterUserKeys : nodeUserKeys;
}
