import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const autocannonBin = join(dirname(require.resolve('autocannon/package.json')), 'autocannon.js');

/** What one autocannon run measured. */
export interface LoadResult {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

/** The load generator `loadTest` uses: `BENCH_LOAD=wrk` for wrk (Debian's `wrk`), else autocannon. */
export const loadGenerator: 'autocannon' | 'wrk' = process.env['BENCH_LOAD'] === 'wrk' ? 'wrk' : 'autocannon';

/**
 * Drives `url` with the load generator in its OWN process (so it never shares an event loop
 * with the app or the runner) for `durationS` seconds over `connections` connections.
 * autocannon (Node.js) takes about one of this machine's two cores at these rates; wrk (C, one
 * thread) a fraction of one, which leaves the app's other threads (garbage collection, the
 * span export worker, file writes) the CPU they would have with the load coming from elsewhere.
 */
export async function loadTest(url: string, durationS: number, connections: number): Promise<LoadResult> {
  return loadGenerator === 'wrk'
    ? wrkLoadTest(url, durationS, connections)
    : autocannonLoadTest(url, durationS, connections);
}

async function wrkLoadTest(url: string, durationS: number, connections: number): Promise<LoadResult> {
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${durationS}s`, '--latency', url], {
    maxBuffer: 1024 * 1024,
  });
  const number = (pattern: RegExp): number => Number(pattern.exec(stdout)?.[1] ?? 0);
  const ms = (pattern: RegExp): number => {
    const match = pattern.exec(stdout);
    if (match === null) return 0;
    const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };
    return Number(match[1]) * (scale[match[2]!] ?? 1);
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  return {
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    latencyP50Ms: ms(/\s50%\s+([\d.]+)(us|ms|s)/),
    latencyP99Ms: ms(/\s99%\s+([\d.]+)(us|ms|s)/),
    requests: number(/(\d+) requests in/),
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/),
    errors: socketErrors === null ? 0 : socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0),
  };
}

async function autocannonLoadTest(url: string, durationS: number, connections: number): Promise<LoadResult> {
  const { stdout } = await run(
    process.execPath,
    [autocannonBin, '--json', '-c', String(connections), '-d', String(durationS), url],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as AutocannonJson;
  return {
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
