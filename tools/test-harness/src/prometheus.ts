import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { waitFor } from './wait.ts';

/** Options of {@link startPrometheus}: exactly one of `configYaml` and `configFile`. */
export type PrometheusOptions = (
  | {
      /** The configuration as YAML text, written to the server's temporary directory. */
      configYaml: string;
      configFile?: never;
    }
  | {
      /** Path of an existing configuration file (its relative `rule_files` resolve from its folder). */
      configFile: string;
      configYaml?: never;
    }
) & {
  /** Extra `prometheus` flags, e.g. `['--enable-feature=exemplar-storage']`. Default: none. */
  args?: readonly string[];
  /** How long to wait for `/-/ready`, in ms. Default: 30 000. */
  readyTimeoutMs?: number;
};

/** A private Prometheus on 127.0.0.1, owned by one test file. */
export interface PrometheusServer {
  /** `http://127.0.0.1:<port>`, the HTTP API and UI. */
  readonly url: string;
  /** Everything the server wrote to stderr so far (its log). */
  log(): string;
  /** Stops it (SIGTERM, SIGKILL after 5 s) and deletes its temporary directory. Idempotent. */
  close(): Promise<void>;
}

const attempts = 3;
const killAfterMs = 5_000;
const live = new Set<ChildProcess>();

// An orderly exit that skipped close() must not leave a Prometheus behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Stops `child` (SIGTERM, then SIGKILL after {@link killAfterMs}) and resolves once it exited. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the machine's `prometheus` binary on a free 127.0.0.1 port with a temporary TSDB
 * directory and resolves once `/-/ready` answers 200. Retries on another port when the chosen
 * one was taken meanwhile. On any failure it kills the process, deletes the directory and
 * rejects with the server's log; afterwards `close()` does the same.
 * Tests guard it with `skipWithoutTool('prometheus', 'apt-get install prometheus')`.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  const { readyTimeoutMs = 30_000, args = [] } = options;
  if (!(readyTimeoutMs > 0)) throw new RangeError(`readyTimeoutMs must be > 0, got ${readyTimeoutMs}`);
  if ((options.configFile === undefined) === (options.configYaml === undefined)) {
    throw new TypeError('startPrometheus needs exactly one of configYaml and configFile');
  }
  const workDir = mkdtempSync(join(tmpdir(), 'shipshape-prometheus-'));
  const cleanup = (): void => rmSync(workDir, { recursive: true, force: true });
  try {
    const configFile = options.configFile ?? join(workDir, 'prometheus.yml');
    if (options.configFile === undefined) writeFileSync(configFile, options.configYaml ?? '');
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      let log = '';
      const child = spawn(
        'prometheus',
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${join(workDir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          ...args,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      live.add(child);
      child.once('exit', () => live.delete(child));
      child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
      const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
      let failure: Error | undefined;
      void spawnError.then((error) => (failure = error));
      try {
        await waitFor(
          'prometheus ready',
          async () => {
            if (failure) throw failure;
            if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
            return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true;
          },
          { timeoutMs: readyTimeoutMs, intervalMs: 250 },
        );
      } catch (error) {
        await stop(child);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new Error(
            'prometheus binary not found on PATH: apt-get install prometheus (CI installs it)',
            {
              cause: error,
            },
          );
        }
        if (attempt < attempts && /address already in use/i.test(log)) continue;
        throw new Error(`${String(error)}\n${log}`, { cause: error });
      }
      let closed: Promise<void> | undefined;
      return {
        url,
        log: () => log,
        close: () => (closed ??= stop(child).finally(cleanup)),
      };
    }
  } catch (error) {
    cleanup();
    throw error;
  }
}
