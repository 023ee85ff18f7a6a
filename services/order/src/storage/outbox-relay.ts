import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '@shipshape/service-kit';
import { orderKeyLayout, type OrderKeyLayout } from './keys.ts';
import type { PaymentJob } from './payment-job.ts';

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  /** The connection (non-blocking commands only, so it may be shared). */
  redis: RedisClient;
  /**
   * Where the outbox streams are; the relay reads every partition's stream in turn (one consumer
   * group per stream, shared by every replica, so replicas split each partition's entries).
   * @default orderKeyLayout(redis): 8 partitions on an ioredis `Cluster`, one stream else
   */
  layout?: OrderKeyLayout;
  /**
   * Hands one job to the queue; resolves once the queue has it. Must be idempotent per
   * `orderId` (BullMQ: `queue.add('charge', job, { jobId: job.orderId })`), because an entry can
   * be delivered more than once.
   */
  enqueue: (job: PaymentJob) => Promise<void>;
  /**
   * Hands every job of one read to the queue at once (BullMQ: `queue.addBulk`, one round trip
   * for the batch); resolves once the queue has them all. Same idempotency rule as `enqueue`: a
   * batch that failed is delivered again whole.
   * @default `enqueue` for each job in turn
   */
  enqueueMany?: (jobs: readonly PaymentJob[]) => Promise<void>;
  /** This relay's consumer name, unique per process (for example `${hostname}:${pid}`). */
  consumer: string;
  /**
   * Consumer group shared by every replica's relay.
   * @default 'payments-relay'
   */
  group?: string;
  /**
   * Most entries read per step, per source (own pending, taken over, new).
   * @default 100
   */
  batchSize?: number;
  /**
   * An entry delivered to another consumer and not acknowledged for this long is taken over,
   * in ms: that consumer is presumed dead. Keep it above the slowest `enqueue`.
   * @default 30_000
   */
  claimIdleMs?: number;
  /**
   * Pause of {@link OutboxRelay.run} after a step that found nothing (or failed), in ms.
   * @default 200
   */
  pollIntervalMs?: number;
  /**
   * Pause of {@link OutboxRelay.run} after a step that relayed fewer than `batchSize` entries,
   * in ms: entries gather meanwhile, so under load each step hands a batch to the queue instead
   * of one or two entries (fewer Redis round trips per order, at most this much more latency).
   * 0 runs the next step at once.
   * @default 10
   */
  lingerMs?: number;
}

/** Subscription handle of a typed event. */
export interface Disposable {
  dispose(): void;
}

type StreamEntry = [id: string, fields: string[] | null];

const defaults = {
  group: 'payments-relay',
  batchSize: 100,
  claimIdleMs: 30_000,
  pollIntervalMs: 200,
  lingerMs: 10,
} satisfies Partial<OutboxRelayOptions>;

/**
 * Moves outbox entries (`order:outbox`, or one stream per partition on a cluster, written with
 * each order) into the payment queue with
 * at-least-once delivery. Each replica runs one relay in a shared consumer group. An entry is
 * acknowledged and deleted only after `enqueue` resolved. An entry whose enqueue failed stays
 * pending and is retried by the same relay. Entries left by a relay that died are taken over by
 * another after `claimIdleMs` (XAUTOCLAIM). Duplicates are absorbed by the queue's job id.
 */
export class OutboxRelay {
  readonly #redis: RedisClient;
  readonly #keys: OrderKeyLayout;
  readonly #enqueueMany: (jobs: readonly PaymentJob[]) => Promise<void>;
  readonly #consumer: string;
  readonly #options: Required<
    Omit<OutboxRelayOptions, 'redis' | 'enqueue' | 'enqueueMany' | 'consumer' | 'layout'>
  >;
  readonly #errorListeners = new Set<(error: unknown) => void>();
  /** Per partition: the XAUTOCLAIM cursor. */
  readonly #claimCursors: string[];
  /** Per partition: this relay may hold unacknowledged entries of its own (at start, after a failed step). */
  readonly #ownPending: boolean[];
  readonly #groupReady: boolean[];

  constructor(options: OutboxRelayOptions) {
    const { redis, enqueue, enqueueMany, consumer, layout, ...rest } = { ...defaults, ...options };
    if (consumer.length === 0) throw new RangeError('consumer must be a non-empty string, got ""');
    for (const name of ['batchSize', 'claimIdleMs', 'pollIntervalMs'] as const) {
      const value = rest[name];
      if (!Number.isInteger(value) || value < 1)
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    if (!Number.isInteger(rest.lingerMs) || rest.lingerMs < 0)
      throw new RangeError(`lingerMs must be a non-negative integer, got ${rest.lingerMs}`);
    this.#redis = redis;
    this.#keys = layout ?? orderKeyLayout(redis);
    const perPartition = <T>(value: T): T[] => Array.from({ length: this.#keys.partitions }, () => value);
    this.#claimCursors = perPartition('0-0');
    this.#ownPending = perPartition(true);
    this.#groupReady = perPartition(false);
    this.#enqueueMany =
      enqueueMany ??
      (async (jobs) => {
        for (const job of jobs) await enqueue(job);
      });
    this.#consumer = consumer;
    this.#options = rest;
  }

  /** Subscribes to failures of a step (Redis or enqueue errors, malformed entries). */
  onRelayError(listener: (error: unknown) => void): Disposable {
    this.#errorListeners.add(listener);
    return { dispose: () => this.#errorListeners.delete(listener) };
  }

  /**
   * One relay step, for each partition in turn: this relay's own unacknowledged entries, then
   * entries taken over from dead relays, then new entries. Returns how many entries were handed
   * to the queue. A partition stops at its first failing enqueue (the entries stay pending); the
   * other partitions still run, then the first error is rethrown.
   */
  async relayOnce(): Promise<number> {
    let relayed = 0;
    let failure: { error: unknown } | undefined;
    for (let partition = 0; partition < this.#keys.partitions; partition += 1) {
      try {
        relayed += await this.#relayPartition(partition);
      } catch (error) {
        // A partition whose master is failing over must not hold up the others.
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
    return relayed;
  }

  async #relayPartition(partition: number): Promise<number> {
    await this.#ensureGroup(partition);
    const { group, batchSize, claimIdleMs } = this.#options;
    let relayed = 0;
    // Own entries are left unacknowledged only by a step that failed (or an earlier process of
    // this consumer name), so they are read only then: one command less per step.
    const ownPending = this.#ownPending[partition];
    this.#ownPending[partition] = true;
    if (ownPending) relayed += await this.#deliver(partition, await this.#read(partition, '0'));
    const [next, claimed] = (await this.#redis.xautoclaim(
      this.#keys.outbox(partition),
      group,
      this.#consumer,
      claimIdleMs,
      this.#claimCursors[partition]!,
      'COUNT',
      batchSize,
    )) as [string, StreamEntry[], string[]?];
    this.#claimCursors[partition] = next;
    relayed += await this.#deliver(partition, claimed);
    relayed += await this.#deliver(partition, await this.#read(partition, '>'));
    this.#ownPending[partition] = false;
    return relayed;
  }

  /**
   * Runs {@link relayOnce} until `signal` aborts: pausing `pollIntervalMs` when idle or after a
   * failure, `lingerMs` after a partial batch, not at all after a full one.
   */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let relayed = 0;
      try {
        relayed = await this.relayOnce();
      } catch (error) {
        this.#emitError(error);
      }
      const pauseMs =
        relayed === 0
          ? this.#options.pollIntervalMs
          : relayed < this.#options.batchSize
            ? this.#options.lingerMs
            : 0;
      if (pauseMs > 0) await sleep(pauseMs, undefined, { signal }).catch(() => undefined);
    }
  }

  async #ensureGroup(partition: number): Promise<void> {
    if (this.#groupReady[partition]) return;
    try {
      await this.#redis.xgroup('CREATE', this.#keys.outbox(partition), this.#options.group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
    this.#groupReady[partition] = true;
  }

  async #read(partition: number, from: '0' | '>'): Promise<StreamEntry[]> {
    const reply = await this.#redis.xreadgroup(
      'GROUP',
      this.#options.group,
      this.#consumer,
      'COUNT',
      this.#options.batchSize,
      'STREAMS',
      this.#keys.outbox(partition),
      from,
    );
    return reply?.[0]?.[1] ?? [];
  }

  /**
   * Hands the entries' jobs to the queue in one batch, then acknowledges and deletes every entry
   * in one `MULTI` (so the stream only holds entries still to relay). A failing batch stays
   * pending whole and is delivered again by the next step.
   */
  async #deliver(partition: number, entries: readonly StreamEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const outbox = this.#keys.outbox(partition);
    const outboxDead = this.#keys.outboxDead(partition);
    const jobs: PaymentJob[] = [];
    const done: string[] = [];
    for (const [id, fields] of entries) {
      const job = fields === null ? undefined : parseJob(fields);
      if (fields !== null && job === undefined) {
        // A malformed entry would block this relay forever: park it for an operator instead.
        await this.#redis
          .multi()
          .xadd(outboxDead, '*', 'sourceId', id, ...fields)
          .xack(outbox, this.#options.group, id)
          .xdel(outbox, id)
          .exec();
        this.#emitError(new Error(`outbox entry ${id} is malformed; moved to ${outboxDead}`));
        continue;
      }
      if (job !== undefined) jobs.push(job);
      // An entry deleted from the stream while pending (fields null) is only acknowledged.
      done.push(id);
    }
    if (jobs.length > 0) await this.#enqueueMany(jobs);
    if (done.length > 0) {
      await this.#redis
        .multi()
        .xack(outbox, this.#options.group, ...done)
        .xdel(outbox, ...done)
        .exec();
    }
    return jobs.length;
  }

  #emitError(error: unknown): void {
    for (const listener of this.#errorListeners) listener(error);
  }
}

function parseJob(fields: readonly string[]): PaymentJob | undefined {
  const payloadIndex = fields.indexOf('payload');
  const payload = payloadIndex % 2 === 0 ? fields[payloadIndex + 1] : undefined;
  if (payload === undefined) return undefined;
  try {
    const job = JSON.parse(payload) as Partial<PaymentJob>;
    const valid =
      typeof job.orderId === 'string' &&
      Number.isSafeInteger(job.amountCents) &&
      typeof job.currency === 'string';
    return valid ? (job as PaymentJob) : undefined;
  } catch {
    return undefined;
  }
}
