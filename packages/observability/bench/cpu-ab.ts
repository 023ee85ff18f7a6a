// A/B of the CPU cost per request, server and client in one process (fixtures/inproc-client.ts),
// variants interleaved round by round, medians printed with the difference to the first one.
// Steadier than autocannon on a shared machine; use it to decide whether a change pays, then
// confirm with http.bench.ts. Not run by `npm run bench` (not a *.bench.ts file).
//
//   node bench/cpu-ab.ts 3 'bare=BENCH_MODE=bare' 'full=register' 'no-sdk=register OTEL_SDK_DISABLED=true'
//
// Each variant is `name=` then space-separated `register` (adds --import
// @shipshape/observability/register), `naive` (the standard setup of http.bench.ts) and
// KEY=VALUE environment settings (BENCH_MODE defaults to full; BENCH_PARTS=request-id,access-log
// etc. as in hello-app.ts; REQUESTS and WARMUP_REQUESTS for fewer requests than 100 000 and
// 30 000). Builds the package first.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '@shipshape/test-harness';
import { firstLine, median, spawnNode, stop } from './lib/processes.ts';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const client = fileURLToPath(new URL('./fixtures/inproc-client.ts', import.meta.url));
const [roundsArg, ...specs] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
if (specs.length === 0) throw new Error('usage: node bench/cpu-ab.ts <rounds> <name=spec>...');

interface Variant {
  name: string;
  args: string[];
  env: Record<string, string>;
}
const variants: Variant[] = specs.map((spec) => {
  const at = spec.indexOf('=');
  const name = at === -1 ? spec : spec.slice(0, at);
  const variant: Variant = { name, args: [], env: {} };
  for (const word of (at === -1 ? '' : spec.slice(at + 1)).split(' ').filter(Boolean)) {
    if (word === 'register') variant.args = ['--import', '@shipshape/observability/register'];
    else if (word === 'naive') {
      // The standard setup of http.bench.ts: NodeSDK + instrumentation-http/-express, pino-http.
      variant.args = ['--import', './bench/fixtures/naive-register.ts'];
      variant.env['BENCH_MODE'] = 'naive';
    } else {
      const eq = word.indexOf('=');
      variant.env[word.slice(0, eq)] = word.slice(eq + 1);
    }
  }
  return variant;
});

execFileSync(
  process.execPath,
  [join(packageDir, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  { cwd: packageDir, stdio: 'inherit' },
);
const workDir = mkdtempSync(join(tmpdir(), 'obs-cpu-ab-'));
const sink = spawnNode(
  [fileURLToPath(new URL('./fixtures/otlp-sink.ts', import.meta.url))],
  { PATH: process.env['PATH'] ?? '' },
  packageDir,
);
const sinkUrl = `http://127.0.0.1:${await firstLine(sink)}`;
const results = new Map<string, { cpu: number[]; system: number[]; main: number[] }>();
for (let round = 0; round < rounds; round++) {
  for (const variant of variants) {
    const { stdout } = await run(process.execPath, [...variant.args, client], {
      cwd: packageDir,
      env: {
        PATH: process.env['PATH'] ?? '',
        PORT: String(await freePort()),
        BENCH_MODE: 'full',
        BENCH_LOG_FILE: join(workDir, `${variant.name}.log`),
        OTEL_SERVICE_NAME: 'bench',
        OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
        ...variant.env,
      },
    });
    const line = JSON.parse(stdout.trim().split('\n').pop()!) as {
      cpuUsPerRequest: number;
      systemUsPerRequest: number;
      mainThreadUsPerRequest: number;
    };
    const entry = results.get(variant.name) ?? { cpu: [], system: [], main: [] };
    entry.cpu.push(line.cpuUsPerRequest);
    entry.system.push(line.systemUsPerRequest);
    entry.main.push(line.mainThreadUsPerRequest);
    results.set(variant.name, entry);
  }
}
await stop(sink);
rmSync(workDir, { recursive: true, force: true });
const base = median(results.get(variants[0]!.name)!.cpu);
const baseMain = median(results.get(variants[0]!.name)!.main);
console.table(
  [...results].map(([name, { cpu, system, main }]) => ({
    variant: name,
    'CPU µs/req (median)': Number(median(cpu).toFixed(1)),
    [`Δ vs ${variants[0]!.name}`]: Number((median(cpu) - base).toFixed(1)),
    'of which system': Number(median(system).toFixed(1)),
    'main thread µs/req': Number(median(main).toFixed(1)),
    'Δ main': Number((median(main) - baseMain).toFixed(1)),
    runs: cpu.map((value) => value.toFixed(1)).join(' '),
  })),
);
