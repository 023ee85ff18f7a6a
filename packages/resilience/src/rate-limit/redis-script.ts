import { createHash } from 'node:crypto';

/**
 * The part of a Redis client a limiter uses. ioredis `Redis` and `Cluster` fit it structurally,
 * so this package never imports ioredis at runtime (it is an optional peer dependency).
 */
export interface RateLimitRedisClient {
  /** ioredis connection status; 'ready' when commands are answered. */
  readonly status?: string;
  /** true on an ioredis Cluster: decisions are then never batched across keys. */
  readonly isCluster?: boolean;
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

  constructor(source: string) {
    this.source = source;
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  run(client: RateLimitRedisClient, numKeys: number, args: (string | number)[]): Promise<unknown> {
    return client.evalsha(this.sha, numKeys, ...args).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return client.eval(this.source, numKeys, ...args);
      }
      throw error;
    });
  }
}
