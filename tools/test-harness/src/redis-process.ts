// The steps of running one redis-server process for tests, shared by every starter in the
// harness (a single server, a cluster's nodes): spawn it with a watchdog, wait until it answers
// PING, stop it and wait until its port is closed. Internal to the harness.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { redisPing, waitFor } from './wait.ts';

/** Where and how one redis-server process runs. */
export interface RedisProcessOptions {
  readonly host: string;
  readonly port: number;
  /** Working directory (`--dir`). */
  readonly dir: string;
  /** `--logfile`, read back when the server exits during start. */
  readonly logFile: string;
  /** Extra `redis-server` arguments, after the harness's own. */
  readonly args?: readonly string[];
}

/** A spawned redis-server process and the watchdog that kills it if this process dies. */
export interface RedisProcess extends RedisProcessOptions {
  readonly child: ChildProcess;
  /** Ends the watchdog (after the process is gone). Idempotent. */
  release(): void;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last line of defence for an orderly exit that skipped close(). A SIGKILLed test process
  // cannot run this, so each server also has a watchdog (see spawnWatchdog).
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/**
 * A tiny `sh` that blocks reading a pipe from this process and SIGKILLs `pid` when the pipe
 * closes, which the kernel does whenever this process dies, however it dies.
 */
function spawnWatchdog(pid: number): ChildProcess {
  const watchdog = spawn('sh', ['-c', `read _ignored; kill -9 ${pid} 2>/dev/null; exit 0`], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.unref();
  watchdog.on('error', () => undefined);
  return watchdog;
}

/** The harness's `redis-server` arguments: bound to `host`, nothing persisted, not daemonized. */
export function redisServerArgs(options: RedisProcessOptions): string[] {
  return [
    ...['--port', String(options.port), '--bind', options.host],
    ...['--save', '', '--appendonly', 'no', '--dir', options.dir, '--logfile', options.logFile],
    ...['--daemonize', 'no', '--protected-mode', 'yes'],
    ...(options.args ?? []),
  ];
}

/** Spawns `binary` with {@link redisServerArgs}, tracked for the exit hook and a watchdog. */
export function spawnRedisProcess(binary: string, options: RedisProcessOptions): RedisProcess {
  installExitHook();
  const child = spawn(binary, redisServerArgs(options), { stdio: 'ignore' });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let watchdog = child.pid === undefined ? undefined : spawnWatchdog(child.pid);
  return {
    ...options,
    child,
    release() {
      watchdog?.stdin?.end();
      watchdog?.kill('SIGKILL');
      watchdog = undefined;
    },
  };
}

/** Whether the process has exited (or was killed). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function exited(child: ChildProcess): Promise<void> {
  return hasExited(child) ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

function lastLogLines(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-5).join('\n');
  } catch {
    return ''; // no log written yet
  }
}

/**
 * Waits until the server answers PING. On a timeout, or when it exits first (the error carries
 * the last lines of its log), it is killed and the error thrown.
 */
export async function waitRedisReady(redis: RedisProcess, timeoutMs: number): Promise<void> {
  const { child, host, port } = redis;
  try {
    await waitFor(
      `redis-server on ${host}:${port} to answer PING`,
      async () => {
        if (hasExited(child)) {
          throw new Error(`redis-server exited during start (port ${port}):\n${lastLogLines(redis.logFile)}`);
        }
        return (await redisPing(port, host)) === '+PONG';
      },
      { timeoutMs },
    );
  } catch (error) {
    child.kill('SIGKILL');
    redis.release();
    throw error;
  }
}

/**
 * Stops the process with `signal` (a paused one is continued first, unless SIGKILL), waits for
 * it to exit, ends its watchdog, and waits until its port refuses connections.
 */
export async function stopRedisProcess(redis: RedisProcess, signal: NodeJS.Signals): Promise<void> {
  const { child, host, port } = redis;
  if (!hasExited(child)) {
    if (signal !== 'SIGKILL') child.kill('SIGCONT'); // a paused server cannot handle SIGTERM
    child.kill(signal);
  }
  await exited(child);
  redis.release();
  await waitFor(`port ${port} to close`, async () => (await redisPing(port, host, 200)) === undefined, {
    timeoutMs: 5_000,
  });
}
