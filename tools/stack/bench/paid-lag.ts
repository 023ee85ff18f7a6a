/**
 * The paid-lag of orders (from the 202 to `paid`), read from Redis after a bench step: an order's
 * id is a UUIDv7 whose first 48 bits are its creation time in ms, and BullMQ's `completed` sorted
 * set of the payment queue scores each job (id = order id) with the time it finished. So
 * `finishedOn − createdAt` per order, for every job that finished since a given time, needs no
 * help from the service (and measures older builds alike). The order service must keep its
 * completed jobs for the whole step (`RETENTION__COMPLETED_JOB_COUNT`).
 */
import { orderCreatedMs as uuidV7Millis } from '@shipshape/order-service';
import type { Redis } from 'ioredis';

/** Finds the payment queue's completed set (whatever BullMQ prefix the service uses). */
async function completedKey(redis: Redis): Promise<string | undefined> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', '*payments:completed', 'COUNT', 1000);
    const key = found.find((k) => !k.includes('dead-letter'));
    if (key !== undefined) return key;
    cursor = next;
  } while (cursor !== '0');
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
export async function finishedChargesSince(redis: Redis, sinceMs: number): Promise<FinishedCharges> {
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
 * How many of `orderIds` the payment service holds more than one payment for (its index
 * `payment:order:<orderId>`, a sorted set of the order's payment ids, in the shared Redis).
 */
export async function ordersChargedMoreThanOnce(redis: Redis, orderIds: readonly string[]): Promise<number> {
  let duplicates = 0;
  for (let i = 0; i < orderIds.length; i += 1000) {
    const pipeline = redis.pipeline();
    for (const id of orderIds.slice(i, i + 1000)) pipeline.zcard(`payment:order:${id}`);
    for (const [error, count] of (await pipeline.exec()) ?? []) {
      if (error === null && Number(count) > 1) duplicates += 1;
    }
  }
  return duplicates;
}

/** The `q` quantile (0..1) of an ascending list, nearest rank; NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
