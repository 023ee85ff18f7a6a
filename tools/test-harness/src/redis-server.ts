import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRedisServer } from './find-binary.ts';
import { freePort } from './free-port.ts';
import { redisPing, waitFor } from './wait.ts';

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

/**
 * Starts a private redis-server for tests (`--save '' --appendonly no`, bound to 127.0.0.1) and
 * waits until it answers PING.
 * @throws RedisServerNotFoundError when no redis-server binary exists
 */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = findRedisServer();
  installExitHook();
  const host = '127.0.0.1';
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-redis-'));
  const logFile = join(dir, 'redis.log');
  let port = options.port ?? (await freePort(host));
  let child: ChildProcess | undefined;
  let watchdog: ChildProcess | undefined;
  let closed = false;

  const exited = (proc: ChildProcess): Promise<void> =>
    proc.exitCode !== null || proc.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => proc.once('exit', () => resolve()));

  const launch = async (): Promise<void> => {
    const proc = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        host,
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--logfile',
        logFile,
        '--daemonize',
        'no',
        '--protected-mode',
        'yes',
        ...(options.args ?? []),
      ],
      { stdio: 'ignore' },
    );
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    child = proc;
    const pid = proc.pid;
    if (pid !== undefined) watchdog = spawnWatchdog(pid);
    try {
      await waitFor(
        `redis-server on ${host}:${port} to answer PING`,
        async () => {
          if (proc.exitCode !== null || proc.signalCode !== null) {
            let log = '';
            try {
              log = readFileSync(logFile, 'utf8').split('\n').slice(-5).join('\n');
            } catch {
              // no log written yet
            }
            throw new Error(`redis-server exited during start (port ${port}):\n${log}`);
          }
          return (await redisPing(port, host)) === '+PONG';
        },
        { timeoutMs: startTimeoutMs },
      );
    } catch (error) {
      proc.kill('SIGKILL');
      throw error;
    }
  };

  const release = (): void => {
    watchdog?.stdin?.end();
    watchdog?.kill('SIGKILL');
    watchdog = undefined;
  };

  const down = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc) return;
    if (proc.signalCode === null && proc.exitCode === null) {
      if (signal !== 'SIGKILL') proc.kill('SIGCONT'); // a paused server cannot handle SIGTERM
      proc.kill(signal);
    }
    await exited(proc);
    child = undefined;
    release();
    await waitFor(`port ${port} to close`, async () => (await redisPing(port, host, 200)) === undefined, {
      timeoutMs: 5_000,
    });
  };

  // The kernel may hand the probed port to someone else before redis binds it: retry a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (error) {
      if (options.port !== undefined || attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      port = await freePort(host);
    }
  }

  const server: RedisServer = {
    get url() {
      return `redis://${host}:${port}`;
    },
    host,
    get port() {
      return port;
    },
    get pid() {
      return child?.pid;
    },
    stop: () => down('SIGTERM'),
    kill: () => down('SIGKILL'),
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async start() {
      if (closed) throw new Error('this RedisServer is closed');
      if (child) return;
      await launch();
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
