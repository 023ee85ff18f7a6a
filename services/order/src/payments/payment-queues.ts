/**
 * The two BullMQ queues of the payment pipeline and their names. Both live under the order
 * service's key prefix (`order:bull:payments:*`, `order:bull:payments-dead-letter:*`; on a Redis
 * Cluster `order:{bull}:…`, see {@link clusterBullPrefix}).
 */
import { createRedisClient, isClusterUrl } from '@shipshape/service-kit';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { jobRetention, type JobRetention } from '../retention.ts';
import type { PaymentJob } from '../storage/payment-job.ts';
import { paymentBackoffType } from './payment-backoff.ts';
import { withPublishSpan, withPublishSpans } from './payment-tracing.ts';

/** The payment queue (contract name). */
export const paymentQueueName = 'payments';
/** The dead-letter queue: exhausted and rejected charges wait here for an operator; no worker reads it. */
export const deadLetterQueueName = 'payments-dead-letter';
/** BullMQ key prefix of both queues on one Redis node, inside the order service's `order:` namespace. */
export const bullPrefix = 'order:bull';
/**
 * BullMQ key prefix on a Redis Cluster: braced, as BullMQ requires, so that every key of both
 * queues hashes to one slot (its Lua scripts touch many keys of a queue at once). The whole
 * payment queue therefore lives on one master: the queue does not spread over the cluster, the
 * orders and outbox (partitioned) do. Enough for this platform's rates; a higher one would split
 * the charges over several queues, one tag each.
 */
export const clusterBullPrefix = 'order:{bull}';
/** Job name of a charge in {@link paymentQueueName}. */
export const chargeJobName = 'charge';
/** Job name of a record in {@link deadLetterQueueName}. */
export const deadLetterJobName = 'dead-letter';

/** What a dead-letter record holds: the payment job and why it was given up. */
export interface DeadLetterRecord extends PaymentJob {
  /** Attempts made before giving up. */
  readonly attempts: number;
  /** The last error's reason token (`http_503`, `rejected_422`, `stalled`, …). */
  readonly reason: string;
  /** The last error's message. */
  readonly lastError: string;
  /** When the charge was given up, ISO 8601. */
  readonly failedAt: string;
}

/**
 * BullMQ connection options for one Redis node (`redis://`, `rediss://`); BullMQ opens and closes
 * its connections. A `redis-cluster://` URL needs a client: use {@link openBullConnection}.
 * @throws RangeError for a cluster URL
 */
export function bullConnection(redisUrl: string): ConnectionOptions {
  if (isClusterUrl(redisUrl))
    throw new RangeError('a redis-cluster:// URL needs openBullConnection (a Cluster client)');
  return { url: redisUrl, maxRetriesPerRequest: null };
}

/** A BullMQ `connection` and `prefix` for `redisUrl`; `close()` ends what it opened. */
export interface BullConnection {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  /** Closes the cluster client handed to BullMQ (BullMQ never closes a client it was given). */
  close(): Promise<void>;
}

/**
 * BullMQ connection for `redisUrl`. `maxRetriesPerRequest: null` is what BullMQ requires for
 * workers (a blocking command must wait through reconnects, not fail after N retries); the
 * queues use it too so an `add` during a Redis restart waits instead of failing. One node:
 * options (BullMQ opens and closes its connections), prefix {@link bullPrefix}. A
 * `redis-cluster://` URL: an ioredis `Cluster` (BullMQ duplicates it for its blocking
 * connection), prefix {@link clusterBullPrefix}.
 */
export function openBullConnection(redisUrl: string): BullConnection {
  if (!isClusterUrl(redisUrl)) {
    return {
      connection: bullConnection(redisUrl),
      prefix: bullPrefix,
      close: async () => {},
    };
  }
  const client = createRedisClient(redisUrl, { maxRetriesPerRequest: null });
  return {
    connection: client,
    prefix: clusterBullPrefix,
    close: () =>
      client.quit().then(
        () => undefined,
        () => client.disconnect(),
      ),
  };
}

/**
 * The options of a charge job: id = order id (idempotent add), attempts, the payment backoff,
 * and how long it is kept once finished (`retention.completedJob*`, `retention.failedJob*`): a
 * completed job long enough for a late duplicate from the at-least-once outbox relay to find its
 * id and add nothing (one that comes later still is harmless: the worker sees the order settled
 * and the charge is idempotent); a failed one long after it was parked as a dead letter.
 */
export function chargeJobOptions(
  orderId: string,
  attempts: number,
  retention: JobRetention = jobRetention(),
): JobsOptions {
  return { jobId: orderId, attempts, backoff: { type: paymentBackoffType }, ...retention };
}

/** Both queues, each with its own connection; attach `onError` before use. */
export interface PaymentQueues {
  readonly payments: Queue<PaymentJob>;
  readonly deadLetters: Queue<DeadLetterRecord>;
  close(): Promise<void>;
}

/** Opens the two queues on `redisUrl` (connections errors go to `onError`, never unhandled). */
export function openPaymentQueues(redisUrl: string, onError: (error: Error) => void): PaymentQueues {
  const bull = openBullConnection(redisUrl);
  const options = { connection: bull.connection, prefix: bull.prefix };
  const payments = new Queue<PaymentJob>(paymentQueueName, options);
  const deadLetters = new Queue<DeadLetterRecord>(deadLetterQueueName, options);
  payments.on('error', onError);
  deadLetters.on('error', onError);
  return {
    payments,
    deadLetters,
    close: async () => {
      await Promise.all([payments.close(), deadLetters.close()]);
      await bull.close();
    },
  };
}

/**
 * Adds the charge of `job` to the payment queue inside a PRODUCER span; a second add of the same
 * order is a no-op (job id = order id). This is the outbox relay's `enqueue`.
 */
export async function enqueueCharge(
  queue: Queue<PaymentJob>,
  job: PaymentJob,
  attempts: number,
  retention?: JobRetention,
): Promise<void> {
  await withPublishSpan(queue.name, job, (traced) =>
    queue.add(chargeJobName, traced, chargeJobOptions(job.orderId, attempts, retention)),
  );
}

/**
 * Adds the charges of `jobs` to the payment queue in one `addBulk` (one Redis round trip for the
 * batch), each inside its own PRODUCER span; an order already in the queue is a no-op, as with
 * {@link enqueueCharge}. This is the outbox relay's `enqueueMany`.
 */
export async function enqueueCharges(
  queue: Queue<PaymentJob>,
  jobs: readonly PaymentJob[],
  attempts: number,
  retention?: JobRetention,
): Promise<void> {
  await withPublishSpans(queue.name, jobs, (traced) =>
    queue.addBulk(
      traced.map((job) => ({
        name: chargeJobName,
        data: job,
        opts: chargeJobOptions(job.orderId, attempts, retention),
      })),
    ),
  );
}
