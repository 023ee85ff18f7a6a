import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRedisServer } from './find-binary.ts';
import { freePort } from './free-port.ts';
import {
  spawnRedisProcess,
  stopRedisProcess,
  waitRedisReady,
  type RedisProcess,
  type RedisProcessOptions,
} from './redis-process.ts';

/** Options of {@link startRedis}. */
export interface RedisServerOptions {
  /** Port to listen on. Default: a free port chosen by the kernel. */
  port?: number;
  /** Extra `redis-server` arguments, e.g. `['--maxmemory', '10mb']`. Default: none. */
  args?: string[];
  /** How long to wait for the server to answer PING after a start, in ms. Default: 10 000. */
  startTimeoutMs?: number;
}

/**
 * A private `redis-server` on 127.0.0.1, owned by one test file, with the controls fault tests
 * need. Every method is safe to call in any state; `close()` always leaves nothing running.
 */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`: stays the same across restarts. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** PID of the current redis-server process, or undefined while it is down. */
  readonly pid: number | undefined;
  /** Graceful stop (SIGTERM, no save); resolves once the port refuses connections. */
  stop(): Promise<void>;
  /** Crash it (SIGKILL); resolves once the process is gone. */
  kill(): Promise<void>;
  /** Freeze it (SIGSTOP): connections stay open but nothing is answered. */
  pause(): void;
  /** Thaw a paused server (SIGCONT). */
  resume(): void;
  /** Start again on the same port after stop/kill (empty dataset: nothing is persisted). */
  start(): Promise<void>;
  /** Kill, then start again on the same port. */
  restart(): Promise<void>;
  /** Stop for good and delete its working directory. Idempotent. */
  close(): Promise<void>;
}

const host = '127.0.0.1';

/** Spawns the server and waits for PING (a port taken meanwhile fails here). */
async function launch(
  binary: string,
  options: RedisProcessOptions,
  timeoutMs: number,
): Promise<RedisProcess> {
  const redis = spawnRedisProcess(binary, options);
  await waitRedisReady(redis, timeoutMs);
  return redis;
}

/**
 * Launches on `options.port`, or on a free port; the kernel may hand a probed free port to
 * someone else before redis binds it, so a free port is tried up to three times.
 */
async function launchOnFreePort(
  binary: string,
  options: RedisServerOptions,
  where: Omit<RedisProcessOptions, 'port'>,
  timeoutMs: number,
): Promise<RedisProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort(host));
    try {
      return await launch(binary, { ...where, port }, timeoutMs);
    } catch (error) {
      if (options.port !== undefined || attempt >= 3) throw error;
    }
  }
}

/**
 * Starts a private redis-server for tests (`--save '' --appendonly no`, bound to 127.0.0.1) and
 * waits until it answers PING.
 * @throws RedisServerNotFoundError when no redis-server binary exists
 */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = findRedisServer();
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-redis-'));
  const where = { host, dir, logFile: join(dir, 'redis.log'), args: options.args ?? [] };
  let current: RedisProcess | undefined;
  try {
    current = await launchOnFreePort(binary, options, where, startTimeoutMs);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = current.port;
  let closed = false;

  const down = async (signal: NodeJS.Signals): Promise<void> => {
    const redis = current;
    if (!redis) return;
    await stopRedisProcess(redis, signal);
    current = undefined;
  };

  const server: RedisServer = {
    url: `redis://${host}:${port}`,
    host,
    port,
    get pid() {
      return current?.child.pid;
    },
    stop: () => down('SIGTERM'),
    kill: () => down('SIGKILL'),
    pause() {
      current?.child.kill('SIGSTOP');
    },
    resume() {
      current?.child.kill('SIGCONT');
    },
    async start() {
      if (closed) throw new Error('this RedisServer is closed');
      if (current) return;
      current = await launch(binary, { ...where, port }, startTimeoutMs);
    },
    async restart() {
      await down('SIGKILL');
      await server.start();
    },
    async close() {
      if (closed) return;
      closed = true;
      await down('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
