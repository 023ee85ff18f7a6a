/**
 * The paid-lag of orders (from the 202 to `paid`), read from Redis after a bench step: an order's
 * id is a UUIDv7 whose first 48 bits are its creation time in ms, and BullMQ's `completed` sorted
 * set of the payment queue scores each job (id = order id) with the time it finished. So
 * `finishedOn − createdAt` per order, for every job that finished since a given time, needs no
 * help from the service (and measures older builds alike). The order service must keep its
 * completed jobs for the whole step (`RETENTION__COMPLETED_JOB_COUNT`). On a Redis Cluster the
 * same reads work through a `Cluster` client: the keys are found on each master, the payment
 * service's order index is read in its cluster layout.
 */
import { orderCreatedMs as uuidV7Millis } from '@shipshape/order-service';
import { paymentKeyLayout } from '@shipshape/payment-service';
import type { RedisClient } from '@shipshape/service-kit';
import { masterNodes } from './bench-redis.ts';

/**
 * Finds the payment queue's completed set, whatever BullMQ prefix the service uses (`order:bull`
 * on one node, `order:{bull}` on a cluster, older builds' own): SCAN on each master, since a
 * cluster client's SCAN would walk one node only.
 */
async function completedKey(redis: RedisClient): Promise<string | undefined> {
  for (const node of masterNodes(redis)) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', '*payments:completed', 'COUNT', 1000);
      const key = found.find((k) => !k.includes('dead-letter'));
      if (key !== undefined) return key;
      cursor = next;
    } while (cursor !== '0');
  }
  return undefined;
}

/** The charge jobs of orders created at or after `sinceMs` that finished. */
export interface FinishedCharges {
  /** Their order ids. */
  orderIds: string[];
  /** Paid-lag in ms of each, ascending. */
  lagsMs: number[];
}

/** Every order created at or after `sinceMs` whose charge job finished, with its paid-lag. */
export async function finishedChargesSince(redis: RedisClient, sinceMs: number): Promise<FinishedCharges> {
  const key = await completedKey(redis);
  if (key === undefined) return { orderIds: [], lagsMs: [] };
  const reply = await redis.zrangebyscore(key, sinceMs, '+inf', 'WITHSCORES');
  const orderIds: string[] = [];
  const lagsMs: number[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const created = uuidV7Millis(reply[i]!);
    if (created === undefined || created < sinceMs) continue;
    orderIds.push(reply[i]!);
    lagsMs.push(Number(reply[i + 1]) - created);
  }
  return { orderIds, lagsMs: lagsMs.sort((a, b) => a - b) };
}

/**
 * How many of `orderIds` the payment service holds more than one payment for: the sum of the
 * order's payment index over every partition of its key layout (`paymentKeyLayout`: one
 * `payment:order:<orderId>` sorted set on one node; on a cluster one per partition,
 * `payment:{payment-<k>}:order:<orderId>`, and an order's payments may sit in several) above 1.
 */
export async function ordersChargedMoreThanOnce(
  redis: RedisClient,
  orderIds: readonly string[],
): Promise<number> {
  const layout = paymentKeyLayout(redis);
  let duplicates = 0;
  for (let i = 0; i < orderIds.length; i += 1000) {
    const batch = orderIds.slice(i, i + 1000);
    const payments = new Array<number>(batch.length).fill(0);
    // One pipeline per partition: a partition's keys share one hash tag, hence one slot, which is
    // what a cluster client needs to send them as one pipeline.
    for (let partition = 0; partition < layout.partitions; partition++) {
      const pipeline = redis.pipeline();
      for (const id of batch) pipeline.zcard(layout.orderPayments(id, partition));
      const replies = (await pipeline.exec()) ?? [];
      replies.forEach(([error, count], j) => {
        if (error !== null) throw error;
        payments[j]! += Number(count);
      });
    }
    duplicates += payments.filter((count) => count > 1).length;
  }
  return duplicates;
}

/** The `q` quantile (0..1) of an ascending list, nearest rank; NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
