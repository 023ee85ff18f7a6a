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
 * Every Redis key of the payment service, in one place. All start with {@link keyPrefix} so the
 * service can share a Redis with the others (and a test SCANs for strays).
 *
 * | key | type | holds |
 * |---|---|---|
 * | `payment:payment:<id>` | string | the payment as JSON |
 * | `payment:order:<orderId>` | sorted set, all scores 0 | ids of the order's payments, by creation |
 * | `payment:idem:<Idempotency-Key>` | hash | `state` pending/done, `hash` of the body, `token` of the claimant, `paymentId` |
 * | `payment:processor:<Idempotency-Key>` | string | the simulated processor's recorded outcome (its own dedup book) |
 *
 * This is the layout on one Redis node. On a Redis Cluster see {@link clusterPaymentKeys}.
 */
export const keyPrefix = 'payment:';

/** The key names of the payment service. */
export const keys = {
  payment: (id: string): string => `${keyPrefix}payment:${id}`,
  orderPayments: (orderId: string): string => `${keyPrefix}order:${orderId}`,
  idempotency: (key: string): string => `${keyPrefix}idem:${key}`,
  processorLedger: (key: string): string => `${keyPrefix}processor:${key}`,
} as const;

/**
 * Where the payment service keeps its keys: one node ({@link nodePaymentKeys}: the table of
 * {@link keys}) or a Redis Cluster ({@link clusterPaymentKeys}: partitions).
 */
export interface PaymentKeyLayout {
  /** Partitions of the per-order index; listing an order's payments reads each. 1 on one node. */
  readonly partitions: number;
  payment(id: string): string;
  /** The order's payment index in `partition`. */
  orderPayments(orderId: string, partition: number): string;
  idempotency(key: string): string;
  /** The simulated processor's ledger entry: one key, any slot. */
  processorLedger(key: string): string;
  /** The partition holding the payment `id`. */
  partitionOfPayment(id: string): number;
  /** The partition of an Idempotency-Key: its payment is minted there. */
  partitionOfIdempotencyKey(key: string): number;
  /** `id` re-minted so that the payment lands in `partition`. */
  paymentIdIn(id: string, partition: number): string;
}

/** The one-node layout: exactly {@link keys} (unchanged for existing data). */
export const nodePaymentKeys: PaymentKeyLayout = {
  partitions: 1,
  payment: keys.payment,
  orderPayments: (orderId) => keys.orderPayments(orderId),
  idempotency: keys.idempotency,
  processorLedger: keys.processorLedger,
  partitionOfPayment: () => 0,
  partitionOfIdempotencyKey: () => 0,
  paymentIdIn: (id) => id,
};

const tag = (partition: number): string => `${keyPrefix}${partitionTag('payment', partition)}`;

/**
 * The Redis Cluster layout: a payment lives in its Idempotency-Key's partition (hash tag
 * `{payment-<k>}`, 8 partitions), so the claim, the payment, its order index and the `done`
 * mark stay one atomic script on one slot. Each partition keeps its own index of an order's
 * payments; listing them reads the 8 indexes. The processor ledger is one key per
 * Idempotency-Key and needs no tag.
 *
 * | key | holds |
 * |---|---|
 * | `payment:{payment-<k>}:idem:<Idempotency-Key>` | the idempotency record; `k` = hash of the key |
 * | `payment:{payment-<k>}:payment:<id>` | the payment; its id is minted in `k` |
 * | `payment:{payment-<k>}:order:<orderId>` | the order's payments made in partition `k` |
 * | `payment:processor:<Idempotency-Key>` | as on one node |
 */
export const clusterPaymentKeys: PaymentKeyLayout = {
  partitions: clusterPartitionCount,
  payment: (id) => `${tag(partitionOfId(id))}:payment:${id}`,
  orderPayments: (orderId, partition) => `${tag(partition)}:order:${orderId}`,
  idempotency: (key) => `${tag(partitionOfValue(key))}:idem:${key}`,
  processorLedger: keys.processorLedger,
  partitionOfPayment: (id) => partitionOfId(id),
  partitionOfIdempotencyKey: (key) => partitionOfValue(key),
  paymentIdIn: (id, partition) => idInPartition(id, partition),
};

/** The layout for `redis`: {@link clusterPaymentKeys} on an ioredis `Cluster`, else {@link nodePaymentKeys}. */
export function paymentKeyLayout(redis: RedisClient): PaymentKeyLayout {
  return isClusterClient(redis) ? clusterPaymentKeys : nodePaymentKeys;
}
