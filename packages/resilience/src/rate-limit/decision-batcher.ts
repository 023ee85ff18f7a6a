import type { Limits } from './limits.ts';
import type { DeadlineQueue } from './redis-timeout.ts';
import type { RateLimitRedisClient, RedisScript } from './redis-script.ts';

/** One decision's answer from the script: allowed (0/1), remaining, resetMs, retryAfterMs. */
export type ScriptReply = [allowed: number, remaining: number, resetMs: number, retryAfterMs: number];

interface Pending {
  keys: readonly string[];
  cost: number;
  resolve: (reply: ScriptReply) => void;
  reject: (error: Error) => void;
}

/** What a batcher needs from its limiter. */
export interface DecisionBatcherOptions {
  client: RateLimitRedisClient;
  script: RedisScript;
  deadlines: DeadlineQueue;
  /** The limiter's live limits, read when a batch is sent. */
  limits: Limits;
  /** Most decisions per script call; 1 sends each decision on its own. */
  batchSize: number;
  testClock: (() => number) | undefined;
}

/**
 * Sends the decisions a limiter makes in the same tick as ONE script call (still one round trip
 * per decision, and each batch is atomic, decided in order). Per decision this saves the
 * command's client-side encoding and parsing and Redis's dispatch and clock read, which is most
 * of the cost of a small script. Batches mix keys, so on Redis Cluster (keys in many slots) the
 * limiter uses a batch size of 1.
 */
export class DecisionBatcher {
  readonly #options: DecisionBatcherOptions;
  #queue: Pending[] = [];
  #scheduled = false;
  readonly #flushScheduled = (): void => {
    this.#scheduled = false;
    this.#flush();
  };

  constructor(options: DecisionBatcherOptions) {
    this.#options = options;
  }

  decide(keys: readonly string[], cost: number): Promise<ScriptReply> {
    return new Promise<ScriptReply>((resolve, reject) => {
      this.#queue.push({ keys, cost, resolve, reject });
      if (this.#queue.length >= this.#options.batchSize) {
        this.#flush();
      } else if (!this.#scheduled) {
        // nextTick runs once the current microtasks drained: every caller resumed by the last
        // batch's answers has queued its next decision by then.
        this.#scheduled = true;
        process.nextTick(this.#flushScheduled);
      }
    });
  }

  #flush(): void {
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    const { client, script, deadlines, limits, testClock } = this.#options;
    const status = client.status;
    // Fail fast instead of letting a command wait for a reconnect: a late decision would
    // consume quota after its request was already answered by the fail mode.
    if (status === 'reconnecting' || status === 'close' || status === 'end') {
      const error = new Error(`Redis client is not connected (status: ${status})`);
      for (const pending of batch) pending.reject(error);
      return;
    }
    const args: (string | number)[] = [];
    for (const pending of batch) for (const key of pending.keys) args.push(key);
    const numKeys = args.length;
    args.push(limits.limit, limits.windowMs, testClock === undefined ? '' : Math.floor(testClock()));
    for (const pending of batch) args.push(pending.cost);
    deadlines.bound(script.run(client, numKeys, args)).then(
      (reply) => {
        // 4 little-endian doubles per decision (see luaScript).
        if (!Buffer.isBuffer(reply) || reply.length !== 32 * batch.length) {
          const error = new TypeError(`unexpected rate-limit script reply: ${String(reply)}`);
          for (const pending of batch) pending.reject(error);
          return;
        }
        for (let i = 0, at = 0; i < batch.length; i++, at += 32) {
          batch[i]!.resolve([
            reply.readDoubleLE(at),
            reply.readDoubleLE(at + 8),
            reply.readDoubleLE(at + 16),
            reply.readDoubleLE(at + 24),
          ]);
        }
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const pending of batch) pending.reject(failure);
      },
    );
  }
}
