import { createHash } from 'node:crypto';

/**
 * The part of a Redis client a limiter uses. ioredis `Redis` and `Cluster` fit it structurally,
 * so this package never imports ioredis at runtime (it is an optional peer dependency).
 */
export interface RateLimitRedisClient {
  /** ioredis connection status; 'ready' when commands are answered. */
  readonly status?: string;
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/**
 * One Lua script run with EVALSHA (one round trip) and re-sent with EVAL when the server
 * answers NOSCRIPT, which happens after a Redis restart or SCRIPT FLUSH.
 */
export class RedisScript {
  readonly source: string;
  readonly sha: string;
  readonly #numKeys: number;

  constructor(source: string, numKeys: number) {
    this.source = source;
    this.sha = createHash('sha1').update(source).digest('hex');
    this.#numKeys = numKeys;
  }

  run(client: RateLimitRedisClient, args: (string | number)[]): Promise<unknown> {
    return client.evalsha(this.sha, this.#numKeys, ...args).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return client.eval(this.source, this.#numKeys, ...args);
      }
      throw error;
    });
  }
}
