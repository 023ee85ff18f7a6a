import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

/** A started fixture process; see {@link startFixtureProcess}. */
export interface FixtureProcess<Report> {
  /** Resolves when the child printed `ready` (connected and waiting for the start signal). */
  readonly ready: Promise<void>;
  /** Resolves with the child's JSON report line once it exits 0; rejects with its output otherwise. */
  readonly report: Promise<Report>;
  /** The child itself, to kill it when a test gives up. */
  readonly child: ChildProcess;
}

/**
 * Runs `node <fixture>` with `env` added to this process's environment. The fixture speaks a
 * two-line protocol on stdout: `ready` once it is set up, then one JSON line (starting with `{`)
 * with what it saw. stderr is inherited so a failing fixture's errors show in the test output.
 */
export function startFixtureProcess<Report>(
  fixture: string,
  env: Readonly<Record<string, string>>,
): FixtureProcess<Report> {
  const child = spawn(process.execPath, [fixture], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let markReady: () => void = () => {};
  let failReady: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  const report = new Promise<Report>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n')) markReady();
    });
    child.once('exit', (code, signal) => {
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && line !== undefined) {
        resolve(JSON.parse(line) as Report);
        return;
      }
      const error = new Error(`${fixture} exited with ${code ?? signal}: ${output}`);
      failReady(error);
      reject(error);
    });
  });
  // Whoever awaits only `ready` (or only `report`) must not see the other as an unhandled rejection.
  ready.catch(() => {});
  report.catch(() => {});
  return { ready, report, child };
}

/** Options of {@link runFixtureProcesses}. */
export interface FixtureRunOptions {
  /** Absolute path of the fixture script. */
  readonly fixture: string;
  /** How many processes to start. */
  readonly processes: number;
  /** Added to each child's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Called once every child is ready; it must release them all at once (e.g. set a Redis key). */
  readonly release: () => Promise<void>;
}

/**
 * Starts `processes` copies of a fixture, waits until all are ready, releases them together and
 * returns their reports in start order. Children still running when it fails are SIGKILLed.
 */
export async function runFixtureProcesses<Report>(options: FixtureRunOptions): Promise<Report[]> {
  const started = Array.from({ length: options.processes }, () =>
    startFixtureProcess<Report>(options.fixture, options.env),
  );
  try {
    await Promise.all(started.map((p) => p.ready));
    await options.release();
    return await Promise.all(started.map((p) => p.report));
  } finally {
    for (const { child } of started)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Options of {@link runRedisFixtureProcesses}. */
export interface RedisFixtureOptions {
  /** How many processes to start. */
  readonly processes: number;
  /** How many Redis connections each process opens (`CONNECTIONS`). */
  readonly connections: number;
}

/** The key whose appearance releases the fixtures; private to each test's Redis server. */
const startKey = 'service-kit:fixture:start';

/**
 * {@link runFixtureProcesses} for fixtures that use `openFixtureClients`: passes
 * `REDIS_URL`, `CONNECTIONS` and `START_KEY`, and releases the processes by setting the start key.
 */
export async function runRedisFixtureProcesses<Report>(
  fixture: URL,
  redisUrl: string,
  options: RedisFixtureOptions,
): Promise<Report[]> {
  const control = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  control.on('error', () => {});
  try {
    await control.del(startKey);
    return await runFixtureProcesses<Report>({
      fixture: fileURLToPath(fixture),
      processes: options.processes,
      env: { REDIS_URL: redisUrl, CONNECTIONS: String(options.connections), START_KEY: startKey },
      release: async () => {
        await control.set(startKey, '1');
      },
    });
  } finally {
    await control.quit().catch(() => control.disconnect());
  }
}
