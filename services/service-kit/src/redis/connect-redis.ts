import { createRedisClient, type RedisClient } from './redis-client.ts';

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  /**
   * Longest wait for the first connection, in ms; past it the start fails.
   * @default 5_000
   */
  connectTimeoutMs?: number;
  /**
   * Longest wait for the answer to one command after the start, in ms; past it the command
   * rejects with `Command timed out` (Redis unavailable: the request answers 503). Without it a
   * command sent to a Redis that vanished from the network (a killed container or pod, a cluster
   * master before its replica takes over) waits for TCP to give up, minutes later. Redis may
   * still run a command that timed out here; every write of the services is idempotent or
   * guarded, so a retry is safe. Blocking commands need a client of their own.
   * @default 5_000
   */
  commandTimeoutMs?: number;
  /** Where connection errors after the start are logged. */
  logger: { warn(context: object, message: string): void };
}

const defaults = { connectTimeoutMs: 5_000, commandTimeoutMs: 5_000 } satisfies Partial<ConnectRedisOptions>;

/**
 * Connects to Redis (one node, or a cluster for a `redis-cluster://` URL: see
 * `createRedisClient`) and resolves once it answers PING, or rejects within `connectTimeoutMs`
 * with a message naming the problem (a service that starts without its store would only fail
 * its readiness probe forever). After the start the client reconnects on its own, and each
 * command waits at most `commandTimeoutMs` for its answer.
 */
export async function connectRedis(url: string, options: ConnectRedisOptions): Promise<RedisClient> {
  const { connectTimeoutMs, commandTimeoutMs, logger } = { ...defaults, ...options };
  for (const [name, value] of [
    ['connectTimeoutMs', connectTimeoutMs],
    ['commandTimeoutMs', commandTimeoutMs],
  ] as const) {
    if (!(Number.isFinite(value) && value > 0))
      throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
  }
  const redis = createRedisClient(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
  });
  let lastError: unknown;
  const onStartupError = (error: unknown): void => {
    lastError = error;
  };
  redis.on('error', onStartupError);
  const timeout = AbortSignal.timeout(connectTimeoutMs);
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => timeout.addEventListener('abort', () => reject(timeout.reason as Error))),
    ]);
  } catch (error) {
    redis.disconnect();
    const reason = (lastError as { code?: string } | undefined)?.code ?? (error as Error).message;
    throw new Error(
      `Redis is unreachable at start (${reason}; startup waits at most ${connectTimeoutMs} ms); check REDIS_URL`,
      { cause: error },
    );
  }
  redis.off('error', onStartupError);
  redis.on('error', (error: unknown) => logger.warn({ err: error }, 'redis connection error'));
  return redis;
}
