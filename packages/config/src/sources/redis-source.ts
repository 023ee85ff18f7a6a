import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import type {
  ConfigSource,
  SourceReadContext,
  SourceReadResult,
  SourceWatch,
  SourceWatchSink,
} from '../source.ts';
import { overrideKeys, type RedisOverrideKeys } from './redis-override.ts';

export { clearOverride, clearOverrides, overrideKeys, setOverride } from './redis-override.ts';
export type { RedisOverrideKeys, RedisOverrideOptions } from './redis-override.ts';

/** Options of {@link RedisSource}. */
export interface RedisSourceOptions {
  /**
   * A one-node Redis URL, a client whose settings are copied (`duplicate()`; yours is never
   * closed), or a function building a client from the source's settings: the way to read
   * overrides from a Redis Cluster (`(settings) => new Cluster(nodes, { redisOptions: settings })`,
   * or the service kit's `createRedisClient(url, settings)`). The subscription is classic pub/sub,
   * which a cluster broadcasts to every node, so the subscriber may sit on any node.
   */
  redis: string | Redis | ((settings: RedisOptions) => RedisSourceClient);
  /** The service whose overrides to read: hash `config:<service>`, channel `config:<service>:changed`. */
  service: string;
  /** Prefix of the hash and channel names. @default 'config:' */
  keyPrefix?: string;
  /** Label in reload events and origins. @default 'redis' */
  name?: string;
  /**
   * How long the first load waits for Redis, in ms. When Redis is unreachable the service starts
   * without overrides, an error event says so, and the overrides apply when Redis answers.
   * @default 2000
   */
  startupTimeoutMs?: number;
  /** Longest pause between reconnect attempts, in ms. @default 2000 */
  maxReconnectDelayMs?: number;
}

/** A client of {@link RedisSource}: ioredis `Redis` (one node) or `Cluster`. */
export type RedisSourceClient = Redis | Cluster;

const defaults = { keyPrefix: 'config:', name: 'redis', startupTimeoutMs: 2_000, maxReconnectDelayMs: 2_000 };

type Fields = Readonly<Record<string, string>>;

/**
 * Runtime overrides from Redis, the highest layer: one `HSET` plus a `PUBLISH` (see
 * {@link setOverride}) changes a setting on every replica. The hash is re-read on every message
 * and after every (re)connect, so a Redis restart or a missed message heals itself; values
 * are kept in memory, so reloads of other sources never wait on Redis.
 */
export class RedisSource implements ConfigSource {
  readonly name: string;
  readonly keys: RedisOverrideKeys;
  readonly #options: typeof defaults & RedisSourceOptions;
  #client: RedisSourceClient | undefined;
  #subscriber: RedisSourceClient | undefined;
  #fields: Fields | undefined;
  #sequence = 0;
  #sink: SourceWatchSink | undefined;
  #missedStartup = false;
  #healthy = true;
  #closed = false;

  constructor(options: RedisSourceOptions) {
    const merged = { ...defaults, ...options };
    for (const option of ['startupTimeoutMs', 'maxReconnectDelayMs'] as const) {
      if (!Number.isFinite(merged[option]) || merged[option] <= 0) {
        throw new RangeError(`${option} must be a finite number > 0, got ${merged[option]}`);
      }
    }
    this.keys = overrideKeys(merged.service, merged.keyPrefix);
    this.name = merged.name;
    this.#options = merged;
  }

  async read(context: SourceReadContext): Promise<SourceReadResult> {
    const client = this.#connect();
    if (this.#sink === undefined) {
      // Not kept fresh by a subscription (first load, or watch disabled): ask, but bounded.
      const fetched = await withTimeout(this.#refresh(client), this.#options.startupTimeoutMs);
      if (!fetched && this.#fields === undefined) this.#missedStartup = true;
    }
    const values = Object.entries(this.#fields ?? {}).map(([field, value]) => ({
      path: context.schema.resolve(field.split('.')) ?? field,
      value,
      origin: `${this.name}:${this.keys.hash}/${field}`,
    }));
    return { values };
  }

  watch(sink: SourceWatchSink): SourceWatch {
    this.#sink = sink;
    const client = this.#connect();
    const subscriber = (this.#subscriber ??= this.#newClient());
    subscriber.on('message', (channel: string) => {
      if (channel === this.keys.channel) this.#refreshAndNotify(client);
    });
    // Both clients: the subscriber may come back after the command client; re-reading then
    // catches a change published in between.
    subscriber.on('ready', () => this.#refreshAndNotify(client));
    client.on('ready', () => this.#refreshAndNotify(client));
    // Re-read once the subscription is in place too: a cluster client is 'ready' before its
    // subscriber connection has subscribed, so a change published in between would be missed.
    subscriber.subscribe(this.keys.channel).then(
      () => this.#refreshAndNotify(client),
      (error: unknown) => this.#report(error),
    );
    if (this.#missedStartup) {
      sink.error(new Error(`Redis was unreachable at startup: started without ${this.keys.hash} overrides`));
    }
    return { close: () => this.close() };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#sink = undefined;
    const clients = [this.#client, this.#subscriber].filter((c): c is RedisSourceClient => c !== undefined);
    this.#client = this.#subscriber = undefined;
    await Promise.all(clients.map(disconnect));
  }

  #connect(): RedisSourceClient {
    if (this.#closed) throw new Error('the Redis source is closed');
    return (this.#client ??= this.#newClient());
  }

  #newClient(): RedisSourceClient {
    const { redis, maxReconnectDelayMs } = this.#options;
    const settings = {
      // Commands wait for the connection instead of failing after N retries: every wait here
      // is bounded by our own timeout, and the subscription must survive long outages.
      maxRetriesPerRequest: null,
      // ioredis keeps a timer of this length after disconnecting a client whose socket already
      // failed; the default 2 s would hold a closing process open that long.
      disconnectTimeout: 200,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, maxReconnectDelayMs),
    };
    const client =
      typeof redis === 'string'
        ? new Redis(redis, settings)
        : typeof redis === 'function'
          ? redis(settings)
          : redis.duplicate(settings);
    client.on('error', (error: unknown) => this.#report(error));
    client.on('ready', () => {
      this.#healthy = true;
    });
    return client;
  }

  /** Re-reads the hash; returns whether this answer is the newest one. */
  async #refresh(client: RedisSourceClient): Promise<boolean> {
    const sequence = ++this.#sequence;
    const fields = await client.hgetall(this.keys.hash);
    // An older HGETALL can answer after a newer one (queued across a reconnect): drop it.
    if (sequence !== this.#sequence || this.#closed) return false;
    this.#fields = Object.freeze({ ...fields });
    return true;
  }

  #refreshAndNotify(client: RedisSourceClient): void {
    this.#refresh(client).then(
      (fresh) => {
        if (fresh) this.#sink?.changed();
      },
      (error: unknown) => this.#report(error),
    );
  }

  /** One error event per outage, not one per reconnect attempt. */
  #report(error: unknown): void {
    if (this.#closed || !this.#healthy) return;
    this.#healthy = false;
    this.#sink?.error(error);
  }
}

function withTimeout(work: Promise<boolean>, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    work.then(
      (fresh) => {
        clearTimeout(timer);
        resolve(fresh);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

function disconnect(client: RedisSourceClient): Promise<void> {
  const open = client.status === 'ready' || client.status === 'connect' || client.status === 'connecting';
  client.disconnect();
  // Only a live socket has an 'end' to wait for; a client between reconnect attempts is done.
  if (!open) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 1_000).unref();
    client.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
