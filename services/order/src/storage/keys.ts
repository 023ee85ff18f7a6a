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
 * Every Redis key of the order service, in one place. All start with {@link keyPrefix} so the
 * service can share a Redis with the others (and a test SCANs for strays). BullMQ's own keys
 * (queue `payments`) get the same prefix when the worker lands (`prefix: 'order:bull'`).
 *
 * | key | type | holds |
 * |---|---|---|
 * | `order:order:<id>` | hash | `data` (immutable order JSON), `status` |
 * | `order:idem:<Idempotency-Key>` | hash | `orderId`, `hash` of the body |
 * | `order:outbox` | stream | one entry per created order, until the relay enqueued its payment job |
 * | `order:outbox:dead` | stream | malformed outbox entries the relay parked for an operator |
 *
 * This is the layout on one Redis node. On a Redis Cluster see {@link clusterOrderKeys}.
 */
export const keyPrefix = 'order:';

/** The key names of the order service. */
export const keys = {
  order: (id: string): string => `${keyPrefix}order:${id}`,
  idempotency: (key: string): string => `${keyPrefix}idem:${key}`,
  outbox: `${keyPrefix}outbox`,
  outboxDead: `${keyPrefix}outbox:dead`,
} as const;

/**
 * Where the order service keeps its keys: one node ({@link nodeOrderKeys}: the table of
 * {@link keys}, one outbox) or a Redis Cluster ({@link clusterOrderKeys}: partitions).
 */
export interface OrderKeyLayout {
  /** Outbox partitions; the relay reads every one. 1 on one node. */
  readonly partitions: number;
  order(id: string): string;
  idempotency(key: string): string;
  /** The outbox stream of `partition`. */
  outbox(partition: number): string;
  /** Where the relay parks malformed entries of `partition`. */
  outboxDead(partition: number): string;
  /** The partition holding the order `id`. */
  partitionOfOrder(id: string): number;
  /** The partition an Idempotency-Key's record (and so its order) lives in. */
  partitionOfIdempotencyKey(key: string): number;
  /** `id` re-minted so that the order lands in `partition`. */
  orderIdIn(id: string, partition: number): string;
}

/** The one-node layout: exactly {@link keys}, one outbox stream (unchanged for existing data). */
export const nodeOrderKeys: OrderKeyLayout = {
  partitions: 1,
  order: keys.order,
  idempotency: keys.idempotency,
  outbox: () => keys.outbox,
  outboxDead: () => keys.outboxDead,
  partitionOfOrder: () => 0,
  partitionOfIdempotencyKey: () => 0,
  orderIdIn: (id) => id,
};

const tag = (partition: number): string => `${keyPrefix}${partitionTag('order', partition)}`;

/**
 * The Redis Cluster layout: {@link clusterPartitionCount} partitions, each with its hash tag
 * `{order-<k>}`, so an order, its outbox stream and its Idempotency-Key record share a slot and
 * the create script stays one atomic call:
 *
 * | key | holds |
 * |---|---|
 * | `order:{order-<k>}:order:<id>` | the order; `k` = the id's last hex digit mod 8 |
 * | `order:{order-<k>}:idem:<Idempotency-Key>` | `k` = hash of the key; its order's id is minted in `k` |
 * | `order:{order-<k>}:outbox` | the outbox stream of partition `k` |
 * | `order:{order-<k>}:outbox:dead` | parked entries of partition `k` |
 */
export const clusterOrderKeys: OrderKeyLayout = {
  partitions: clusterPartitionCount,
  order: (id) => `${tag(partitionOfId(id))}:order:${id}`,
  idempotency: (key) => `${tag(partitionOfValue(key))}:idem:${key}`,
  outbox: (partition) => `${tag(partition)}:outbox`,
  outboxDead: (partition) => `${tag(partition)}:outbox:dead`,
  partitionOfOrder: (id) => partitionOfId(id),
  partitionOfIdempotencyKey: (key) => partitionOfValue(key),
  orderIdIn: (id, partition) => idInPartition(id, partition),
};

/** The layout for `redis`: {@link clusterOrderKeys} on an ioredis `Cluster`, else {@link nodeOrderKeys}. */
export function orderKeyLayout(redis: RedisClient): OrderKeyLayout {
  return isClusterClient(redis) ? clusterOrderKeys : nodeOrderKeys;
}
