/**
 * Hash-tag partitions: how a service lays its keys out on a Redis Cluster so that every
 * multi-key script touches one slot by design. A service's data is split into
 * {@link clusterPartitionCount} partitions; partition `k` of service `s` is the hash tag
 * `{s-k}`, so all keys of one partition share a slot and the partitions spread over the masters.
 * A record's partition is readable from its id (the last hex digit of a UUID), so a lookup by id
 * needs no index; a record that must live with another key (an order with its Idempotency-Key,
 * a user with its email) gets an id minted in that key's partition ({@link idInPartition}).
 *
 * On one Redis node a service keeps its historical layout (no tags, one partition): these
 * helpers are only used for a cluster.
 */

/** Partitions per service on a Redis Cluster (a power of two ≤ 16: the last hex digit of an id picks one). */
export const clusterPartitionCount = 8;

/** The partition of an arbitrary string (an Idempotency-Key, an email): FNV-1a, modulo `count`. */
export function partitionOfValue(value: string, count = clusterPartitionCount): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

/**
 * The partition of a UUID: its last hex digit, modulo `count`. Any other id string (written by
 * hand, a test's) falls back to {@link partitionOfValue}, so a lookup never throws.
 */
export function partitionOfId(id: string, count = clusterPartitionCount): number {
  const digit = Number.parseInt(id.at(-1) ?? '', 16);
  return /^[0-9a-f-]{36}$/i.test(id) && Number.isInteger(digit) ? digit % count : partitionOfValue(id, count);
}

/**
 * `id` (a UUID) with its last hex digit changed so that {@link partitionOfId} is `partition`.
 * The digit is random bits in a UUIDv7, so the id stays a valid UUIDv7 with the same time order.
 * @throws RangeError for an id that is not a UUID or a partition outside `[0, count)`
 */
export function idInPartition(id: string, partition: number, count = clusterPartitionCount): string {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new RangeError(`id must be a UUID, got "${id}"`);
  if (!Number.isInteger(partition) || partition < 0 || partition >= count)
    throw new RangeError(`partition must be an integer in [0, ${count}), got ${partition}`);
  const kept = Number.parseInt(id.at(-1)!, 16) - (Number.parseInt(id.at(-1)!, 16) % count);
  return `${id.slice(0, -1)}${(kept + partition).toString(16)}`;
}

/** The hash tag of partition `partition` of `service`: `{service-partition}`. */
export function partitionTag(service: string, partition: number): string {
  return `{${service}-${partition}}`;
}
