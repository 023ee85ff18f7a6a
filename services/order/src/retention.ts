/**
 * How long the order service keeps what it writes to Redis: the `retention.*` keys of its
 * configuration. Every key pattern's lifetime follows from these (README, "Retention").
 */
import { duration } from '@shipshape/config';
import type { KeepJobs } from 'bullmq';
import { dayMs, idempotencyKeyWithin, retentionMs } from '@shipshape/service-kit';
import * as z from 'zod';

const day = dayMs;
const keyWithinOrder = idempotencyKeyWithin('orderMs');

/**
 * Zod shape of the `retention` object (env `RETENTION__ORDER_MS`, …). Static: the repository
 * reads the first two at startup; the job keys are read each time a charge job is added.
 */
export const retentionConfigShape = {
  /**
   * How long a `paid` or `payment_declined` order is kept after it got that status, in ms; 0
   * keeps it forever. Pending and `payment_failed` orders never expire.
   * @default 604_800_000 (7 days)
   */
  orderMs: retentionMs(7 * day),
  /**
   * How long an `Idempotency-Key` keeps answering with its order, in ms from the order's
   * creation; at most `orderMs` (unless that is 0), so a key never outlives its order.
   * @default 86_400_000 (24 hours: Stripe's window)
   */
  idempotencyKeyMs: retentionMs(day),
  /**
   * Completed charge jobs are removed once older than this, in ms (BullMQ `removeOnComplete.age`).
   * A late duplicate from the outbox relay arrives within `worker.relayClaimIdleMs`; one that
   * finds no job is still harmless (the order is settled, the charge idempotent).
   * @default 3_600_000 (1 hour)
   */
  completedJobMs: duration(
    z
      .int()
      .min(1_000)
      .max(30 * day),
  ).default(3_600_000),
  /** ... and at most this many are kept, whatever their age (`removeOnComplete.count`). @default 1_000 */
  completedJobCount: z.int().min(0).max(1_000_000).default(1_000),
  /**
   * Jobs BullMQ failed for good (stalled too often) are parked as dead letters within
   * `worker.stalledIntervalMs`; the failed job itself is removed once older than this, in ms.
   * @default 604_800_000 (7 days)
   */
  failedJobMs: duration(
    z
      .int()
      .min(60_000)
      .max(365 * day),
  ).default(7 * day),
  /** ... and at most this many failed jobs are kept (`removeOnFail.count`). @default 10_000 */
  failedJobCount: z.int().min(100).max(1_000_000).default(10_000),
};

/** The `retention` object of the order configuration. */
export const retentionConfigSchema = z
  .object(retentionConfigShape)
  .refine(keyWithinOrder.check, keyWithinOrder.params)
  .prefault({});

/** The validated `retention` settings. */
export type RetentionConfig = z.output<typeof retentionConfigSchema>;

/** BullMQ's `removeOnComplete` and `removeOnFail` of a charge job. */
export interface JobRetention {
  readonly removeOnComplete: KeepJobs;
  readonly removeOnFail: KeepJobs;
}

/** The {@link JobRetention} of `retention` (BullMQ ages are in seconds). */
export function jobRetention(
  retention: RetentionConfig = retentionConfigSchema.parse(undefined),
): JobRetention {
  return {
    removeOnComplete: { age: Math.ceil(retention.completedJobMs / 1000), count: retention.completedJobCount },
    removeOnFail: { age: Math.ceil(retention.failedJobMs / 1000), count: retention.failedJobCount },
  };
}

/** The repository options of `retention` (`OrderRepository`'s `orderRetentionMs`, `idempotencyRetentionMs`). */
export function repositoryRetention(retention: RetentionConfig): {
  orderRetentionMs: number;
  idempotencyRetentionMs: number;
} {
  return { orderRetentionMs: retention.orderMs, idempotencyRetentionMs: retention.idempotencyKeyMs };
}
