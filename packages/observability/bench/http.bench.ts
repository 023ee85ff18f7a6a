// Cost of the whole observability package on an express hello-world: bare vs instrumented
// (tracing through `--import @shipshape/observability/register`, every span exported over
// OTLP/HTTP to a local sink that discards it, metrics middleware, request id, access log to a
// file). Measures throughput (autocannon in its own process, after a warm-up) and cold start
// (spawn until the first 200 on GET /, median of several runs). Prints a table, writes
// bench/results/http.json, asserts nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { freePort } from '@shipshape/test-harness';
import type { LoadResult } from './lib/load.ts';
import { loadTest } from './lib/load.ts';
import { firstLine, median, spawnNode, stop, waitFor200 } from './lib/processes.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const app = fileURLToPath(new URL('./fixtures/hello-app.ts', import.meta.url));
const sinkScript = fileURLToPath(new URL('./fixtures/otlp-sink.ts', import.meta.url));
const settings = {
  durationS: Number(process.env['BENCH_DURATION_S'] ?? 8),
  warmupS: 3,
  connections: 32,
  coldStartRuns: Number(process.env['BENCH_COLD_RUNS'] ?? 5),
  rounds: Number(process.env['BENCH_ROUNDS'] ?? 2),
};

interface Variant {
  name: string;
  args: string[];
  env: Record<string, string>;
}

// Built once so that the register entry and the barrel load as plain JavaScript, as in a
// container; the app fixture itself is type-stripped .ts in every variant alike.
execFileSync(
  process.execPath,
  [join(packageDir, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: packageDir,
    stdio: 'inherit',
  },
);

const workDir = mkdtempSync(join(tmpdir(), 'obs-bench-'));
const sink = spawnNode([sinkScript], { PATH: process.env['PATH'] ?? '' }, packageDir);
const sinkUrl = `http://127.0.0.1:${await firstLine(sink)}`;
const register = ['--import', '@shipshape/observability/register'];
const otel = { OTEL_SERVICE_NAME: 'bench', OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl };
const variants: Variant[] = [
  { name: 'bare', args: [], env: { BENCH_MODE: 'bare' } },
  { name: 'full, 100% sampled', args: register, env: { BENCH_MODE: 'full', ...otel } },
  {
    name: 'full, 10% sampled',
    args: register,
    env: {
      BENCH_MODE: 'full',
      ...otel,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    },
  },
];

async function startApp(
  variant: Variant,
  logFile: string,
): Promise<{ url: string; stop: () => Promise<void>; startMs: number }> {
  const port = await freePort();
  const env = {
    PATH: process.env['PATH'] ?? '',
    PORT: String(port),
    BENCH_LOG_FILE: logFile,
    ...variant.env,
  };
  const url = `http://127.0.0.1:${port}/`;
  const startedAt = performance.now();
  const child = spawnNode([...variant.args, app], env, packageDir);
  await waitFor200(url, child);
  const startMs = performance.now() - startedAt;
  return { url, startMs, stop: () => stop(child) };
}

async function sinkStats(): Promise<{ requests: number; spans: number; bytes: number }> {
  return (await (await fetch(`${sinkUrl}/stats`)).json()) as {
    requests: number;
    spans: number;
    bytes: number;
  };
}

interface VariantResult {
  name: string;
  coldStartMs: number[];
  load: (LoadResult & { spansExported: number; accessLogLines: number })[];
}
const results: VariantResult[] = variants.map((v) => ({ name: v.name, coldStartMs: [], load: [] }));

for (let run = 0; run < settings.coldStartRuns; run++) {
  for (const [i, variant] of variants.entries()) {
    const started = await startApp(variant, join(workDir, `cold-${i}-${run}.log`));
    results[i]!.coldStartMs.push(started.startMs);
    await started.stop();
  }
}

for (let round = 0; round < settings.rounds; round++) {
  for (const [i, variant] of variants.entries()) {
    const logFile = join(workDir, `load-${i}-${round}.log`);
    const started = await startApp(variant, logFile);
    await loadTest(started.url, settings.warmupS, settings.connections);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await sinkStats();
    const load = await loadTest(started.url, settings.durationS, settings.connections);
    await started.stop();
    const after = await sinkStats();
    const accessLogLines =
      variant.env['BENCH_MODE'] === 'full' ? readFileSync(logFile, 'utf8').split('\n').length - 1 : 0;
    results[i]!.load.push({ ...load, spansExported: after.spans - before.spans, accessLogLines });
    console.log(`  round ${round + 1} ${variant.name}: ${load.requestsPerSecond.toFixed(0)} req/s`);
  }
}
await stop(sink);
rmSync(workDir, { recursive: true, force: true });

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const bare = results[0]!;
const bareRps = mean(bare.load.map((l) => l.requestsPerSecond));
const bareCold = median(bare.coldStartMs);
const summary = results.map((r) => {
  const rps = mean(r.load.map((l) => l.requestsPerSecond));
  const cold = median(r.coldStartMs);
  return {
    variant: r.name,
    'req/s': Math.round(rps),
    'x bare (req/s)': Number((rps / bareRps).toFixed(2)),
    'p50 ms': mean(r.load.map((l) => l.latencyP50Ms)),
    'p99 ms': mean(r.load.map((l) => l.latencyP99Ms)),
    'cold start ms (median)': Math.round(cold),
    'x bare (cold)': Number((cold / bareCold).toFixed(2)),
    'spans exported': r.load.reduce((a, l) => a + l.spansExported, 0),
    'access lines': r.load.reduce((a, l) => a + l.accessLogLines, 0),
    requests: r.load.reduce((a, l) => a + l.requests, 0),
  };
});
console.log(
  `\nexpress hello world, ${settings.connections} connections, ${settings.durationS} s per run after ${settings.warmupS} s warm-up, ${settings.rounds} rounds; cold start = median of ${settings.coldStartRuns}`,
);
console.table(summary);
const outFile = fileURLToPath(new URL('./results/http.json', import.meta.url));
writeFileSync(
  outFile,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.versions.node, settings, summary, results }, null, 2)}\n`,
);
console.log(`wrote ${outFile}`);
