// Cost of the whole observability package on an express hello-world: bare vs instrumented
// (tracing through `--import @shipshape/observability/register`, every span exported over
// OTLP/HTTP to a local sink that discards it, metrics middleware, request id, access log to a
// file). Measures throughput (autocannon in its own process, after a warm-up) and cold start
// (spawn until the first 200 on GET /, median of several runs). Prints a table, writes
// bench/results/http.json, asserts nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { stripTypeScriptTypes } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { freePort } from '@shipshape/test-harness';
import type { LoadResult } from './lib/load.ts';
import { loadGenerator, loadTest } from './lib/load.ts';
import {
  cpuTimeMs,
  firstLine,
  median,
  preciseCpuTimeMs,
  spawnNode,
  stop,
  waitFor200,
} from './lib/processes.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const appSource = fileURLToPath(new URL('./fixtures/hello-app.ts', import.meta.url));
// BENCH_APP=js runs the fixture as plain JavaScript (types stripped once, here), the way a
// service runs its compiled dist/main.js. By default it runs as .ts, type-stripped by Node at
// every start: that adds ≈40 ms of start-up (loading the stripper) to EVERY variant, bare
// included, which makes the cold-start ratios look better than for a compiled service.
const app =
  process.env['BENCH_APP'] === 'js'
    ? writeJsFixture(appSource, fileURLToPath(new URL('./dist/hello-app.mjs', import.meta.url)))
    : appSource;

function writeJsFixture(from: string, to: string): string {
  // In bench/dist/ (ignored by git, lint and prettier like every dist/), inside the package so
  // that `express` and `@shipshape/observability` resolve as from the .ts fixture.
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, stripTypeScriptTypes(readFileSync(from, 'utf8')));
  return to;
}
const sinkScript = fileURLToPath(new URL('./fixtures/otlp-sink.ts', import.meta.url));
const settings = {
  durationS: Number(process.env['BENCH_DURATION_S'] ?? 8),
  warmupS: 3,
  connections: 32,
  coldStartRuns: Number(process.env['BENCH_COLD_RUNS'] ?? 5),
  rounds: Number(process.env['BENCH_ROUNDS'] ?? 3),
};

interface Variant {
  name: string;
  args: string[];
  env: Record<string, string>;
}

// Built once so that the register entry and the package load as plain JavaScript (its
// `exports` point to the tsc output), as in a container.
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
const naiveRegister = ['--import', './bench/fixtures/naive-register.ts'];
const allVariants: Variant[] = [
  { name: 'bare', args: [], env: { BENCH_MODE: 'bare' } },
  // Stock parts doing the same jobs: NodeSDK + instrumentation-http/-express (all layers
  // traced), pino-http, a prom-client histogram on 'finish' (bench/fixtures/naive-register.ts).
  {
    name: 'naive OTel + prom-client + pino-http',
    args: naiveRegister,
    env: { BENCH_MODE: 'naive', ...otel },
  },
  { name: 'full (100% sampled)', args: register, env: { BENCH_MODE: 'full', ...otel } },
  // The same instrumentations, exporter and middleware, with the SDK assembled by NodeSDK
  // (bench/fixtures/node-sdk-register.ts) instead of startTracing: the design-card question
  // "NodeSDK or the hand assembly" measured in the same run.
  {
    name: 'NodeSDK full (same parts)',
    args: ['--import', './bench/fixtures/node-sdk-register.ts'],
    env: {
      BENCH_MODE: 'full',
      ...otel,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
  },
  // Tracing + request id + access log, without the metrics middleware: separates the metrics
  // middleware's cost under tracing from the rest.
  {
    name: 'full without metrics mw',
    args: register,
    env: { BENCH_MODE: 'full', ...otel, BENCH_PARTS: 'request-id,access-log' },
  },
  // Middleware (request id, metrics, access log) with the SDK off: separates their cost from tracing's.
  {
    name: 'full with OTEL_SDK_DISABLED',
    args: register,
    env: { BENCH_MODE: 'full', ...otel, OTEL_SDK_DISABLED: 'true' },
  },
  {
    name: 'full at 10% sampling',
    args: register,
    env: {
      BENCH_MODE: 'full',
      ...otel,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    },
  },
];
// BENCH_VARIANTS='naive,full (100% sampled),NodeSDK' keeps the variants named exactly so, or
// starting with one of the words (bare always stays: every ratio is against it).
const wanted = process.env['BENCH_VARIANTS']?.split(',').map((word) => word.trim());
const variants = allVariants.filter(
  (v) => v.name === 'bare' || wanted === undefined || wanted.some((word) => v.name.startsWith(word)),
);

async function startApp(
  variant: Variant,
  logFile: string,
): Promise<{
  url: string;
  pid: number | undefined;
  stop: () => Promise<void>;
  startMs: number;
  startCpuMs: number | undefined;
}> {
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
  // The CPU the app used to get there: on a shared machine the wall time above mostly measures
  // how long the app waited for a core, the CPU time much less so.
  const startCpuMs = preciseCpuTimeMs(child.pid);
  return { url, pid: child.pid, startMs, startCpuMs, stop: () => stop(child) };
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
  coldStartCpuMs: number[];
  load: (LoadResult & {
    spansExported: number;
    accessLogLines: number;
    cpuUsPerRequest: number | undefined;
    mainThreadUsPerRequest: number | undefined;
  })[];
}
const results: VariantResult[] = variants.map((v) => ({
  name: v.name,
  coldStartMs: [],
  coldStartCpuMs: [],
  load: [],
}));

for (let run = 0; run < settings.coldStartRuns; run++) {
  for (const [i, variant] of variants.entries()) {
    const started = await startApp(variant, join(workDir, `cold-${i}-${run}.log`));
    results[i]!.coldStartMs.push(started.startMs);
    if (started.startCpuMs !== undefined) results[i]!.coldStartCpuMs.push(started.startCpuMs);
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
    const cpuBefore = cpuTimeMs(started.pid);
    const mainBefore = cpuTimeMs(started.pid, true);
    const load = await loadTest(started.url, settings.durationS, settings.connections);
    const cpuAfter = cpuTimeMs(started.pid);
    const mainAfter = cpuTimeMs(started.pid, true);
    await started.stop();
    const cpuUsPerRequest =
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : ((cpuAfter - cpuBefore) * 1000) / load.requests;
    const mainThreadUsPerRequest =
      mainBefore === undefined || mainAfter === undefined
        ? undefined
        : ((mainAfter - mainBefore) * 1000) / load.requests;
    const after = await sinkStats();
    const accessLogLines =
      variant.env['BENCH_MODE'] === 'bare' ? 0 : readFileSync(logFile, 'utf8').split('\n').length - 1;
    results[i]!.load.push({
      ...load,
      spansExported: after.spans - before.spans,
      accessLogLines,
      cpuUsPerRequest,
      mainThreadUsPerRequest,
    });
    console.log(
      `  round ${round + 1} ${variant.name}: ${load.requestsPerSecond.toFixed(0)} req/s, ${cpuUsPerRequest?.toFixed(0) ?? '?'} µs CPU/request`,
    );
  }
}
await stop(sink);
rmSync(workDir, { recursive: true, force: true });

const bare = results[0]!;
const rpsOf = (r: VariantResult): number => median(r.load.map((l) => l.requestsPerSecond));
const cpuOf = (
  r: VariantResult,
  of: 'cpuUsPerRequest' | 'mainThreadUsPerRequest' = 'cpuUsPerRequest',
): number | undefined => {
  const values = r.load.map((l) => l[of]).filter((v): v is number => v !== undefined);
  return values.length > 0 ? median(values) : undefined;
};
const bareCpu = cpuOf(bare);
const summary = results.map((r) => {
  const cpu = cpuOf(r);
  return {
    variant: r.name,
    'req/s (median)': Math.round(rpsOf(r)),
    'x bare req/s': Number((rpsOf(r) / rpsOf(bare)).toFixed(2)),
    'p99 ms': median(r.load.map((l) => l.latencyP99Ms)),
    'CPU µs/req': cpu === undefined ? null : Math.round(cpu),
    'main thread µs/req':
      cpuOf(r, 'mainThreadUsPerRequest') === undefined
        ? null
        : Math.round(cpuOf(r, 'mainThreadUsPerRequest')!),
    'x bare CPU-bound req/s':
      cpu === undefined || bareCpu === undefined ? null : Number((bareCpu / cpu).toFixed(2)),
    'cold start ms (median)': Math.round(median(r.coldStartMs)),
    'x bare cold': Number((median(r.coldStartMs) / median(bare.coldStartMs)).toFixed(2)),
    'cold start CPU ms (median)': r.coldStartCpuMs.length === 0 ? null : Math.round(median(r.coldStartCpuMs)),
    'x bare cold CPU':
      r.coldStartCpuMs.length === 0 || bare.coldStartCpuMs.length === 0
        ? null
        : Number((median(r.coldStartCpuMs) / median(bare.coldStartCpuMs)).toFixed(2)),
    'spans exported': r.load.reduce((a, l) => a + l.spansExported, 0),
    requests: r.load.reduce((a, l) => a + l.requests, 0),
  };
});
console.log(
  `\nexpress hello world (${app.endsWith('.mjs') ? 'plain JS' : 'type-stripped .ts'}), load from ${loadGenerator}, ${settings.connections} connections, ${settings.durationS} s per run after ${settings.warmupS} s warm-up, ${settings.rounds} rounds (medians); cold start = median of ${settings.coldStartRuns}; CPU = app process user+system time per request, all threads; main thread = the thread serving requests`,
);
console.table(summary);
const outFile = fileURLToPath(new URL('./results/http.json', import.meta.url));
writeFileSync(
  outFile,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.versions.node, app: app.endsWith('.mjs') ? 'js' : 'ts', loadGenerator, settings, summary, results }, null, 2)}\n`,
);
console.log(`wrote ${outFile}`);
