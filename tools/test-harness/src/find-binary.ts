import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Thrown when the harness cannot find `redis-server`; the message says how to install it. */
export class RedisServerNotFoundError extends Error {
  override readonly name = 'RedisServerNotFoundError';
  readonly code = 'REDIS_SERVER_NOT_FOUND';
  constructor() {
    super(
      'redis-server was not found on PATH (nor in REDIS_SERVER_BIN). The tests start their own ' +
        'private Redis and need the binary: install it with `apt-get install redis-server` ' +
        '(Debian/Ubuntu), `brew install redis` (macOS) or `dnf install redis` (Fedora), or set ' +
        'REDIS_SERVER_BIN to its path. The tests never use the Redis on port 6379.',
    );
  }
}

/**
 * Finds the `redis-server` executable: `REDIS_SERVER_BIN` if set, else the first match on PATH,
 * else the usual system locations (`fallbacks`).
 * @throws RedisServerNotFoundError with installation advice
 */
export function findRedisServer(
  env: NodeJS.ProcessEnv = process.env,
  fallbacks: readonly string[] = [
    '/usr/bin/redis-server',
    '/usr/local/bin/redis-server',
    '/usr/sbin/redis-server',
  ],
): string {
  const candidates = [
    env.REDIS_SERVER_BIN,
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, 'redis-server')),
    ...fallbacks,
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next location
    }
  }
  throw new RedisServerNotFoundError();
}
