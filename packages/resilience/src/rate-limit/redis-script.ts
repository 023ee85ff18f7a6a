import { createHash } from 'node:crypto';

type Arg = string | number;

/**
 * The part of a Redis client a limiter uses. ioredis `Redis` and `Cluster` fit it structurally,
 * so this package never imports ioredis at runtime (it is an optional peer dependency).
 */
export interface RateLimitRedisClient {
  /** ioredis connection status; 'ready' when commands are answered. */
  readonly status?: string;
  /** true on an ioredis Cluster: decisions are then never batched across keys. */
  readonly isCluster?: boolean;
  /**
   * Sends a command and answers bulk strings as Buffers: the limiter's script replies with
   * packed binary numbers, which decoding as UTF-8 text would corrupt.
   */
  callBuffer(command: string, args: Arg[]): Promise<unknown>;
  /**
   * EVALSHA answering bulk strings as Buffers. ioredis has it on `Redis` and `Cluster` (every
   * command has a `…Buffer` twin) without typing it; when present it is used instead of
   * `callBuffer`, which ioredis 6 sends without its command name on an auto-pipelining client.
   */
  evalshaBuffer?: (sha: string, numKeys: number, ...args: Arg[]) => Promise<unknown>;
  /** EVAL answering bulk strings as Buffers; see `evalshaBuffer`. */
  evalBuffer?: (script: string, numKeys: number, ...args: Arg[]) => Promise<unknown>;
}

function evalsha(client: RateLimitRedisClient, sha: string, numKeys: number, args: Arg[]): Promise<unknown> {
  if (client.evalshaBuffer !== undefined) return client.evalshaBuffer(sha, numKeys, ...args);
  return client.callBuffer('EVALSHA', [sha, numKeys, ...args]);
}

function evalScript(
  client: RateLimitRedisClient,
  script: string,
  numKeys: number,
  args: Arg[],
): Promise<unknown> {
  if (client.evalBuffer !== undefined) return client.evalBuffer(script, numKeys, ...args);
  return client.callBuffer('EVAL', [script, numKeys, ...args]);
}

/**
 * One Lua script run with EVALSHA (one round trip) and re-sent with EVAL when the server
 * answers NOSCRIPT, which happens after a Redis restart or SCRIPT FLUSH. Replies come back as
 * Buffers.
 */
export class RedisScript {
  readonly source: string;
  readonly sha: string;

  constructor(source: string) {
    this.source = source;
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  run(client: RateLimitRedisClient, numKeys: number, args: Arg[]): Promise<unknown> {
    return evalsha(client, this.sha, numKeys, args).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return evalScript(client, this.source, numKeys, args);
      }
      throw error;
    });
  }
}
