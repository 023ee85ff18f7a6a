import { createRedisClient, type RedisClient } from '@shipshape/service-kit';

/**
 * `redis://:secret@host:6379/0` → `redis://:***@host:6379/0` (a URL may carry a password);
 * `redis-cluster://:secret@a:7000,b:7001` → `redis-cluster://:***@a:7000,b:7001`.
 */
export function redactRedisUrl(url: string): string {
  if (/^rediss?-cluster:\/\//i.test(url))
    return url.replace(/\/\/([^@/]*:)?[^@/:]*@/, (_, user = '') => `//${user}***@`);
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an invalid URL)';
  }
}

/**
 * Connects once to `url` and sends PING, without retrying. Resolves `undefined` when Redis
 * answered, else the reason (`connect ECONNREFUSED 127.0.0.1:6379`, `NOAUTH …`, a timeout).
 */
export async function redisUnreachableReason(url: string, timeoutMs = 2_000): Promise<string | undefined> {
  let redis: RedisClient;
  try {
    redis = createRedisClient(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
  } catch (error) {
    return (error as Error).message;
  }
  // The connect() rejection only says "Connection is closed"; the error event has the cause.
  let cause: string | undefined;
  redis.on('error', (error: Error) => (cause ??= error.message));
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return cause ?? (error as Error).message;
  } finally {
    redis.disconnect();
  }
}
