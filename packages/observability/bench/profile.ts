// Where the CPU of one benchmark variant goes: runs the hello-world app of http.bench.ts under
// `node --cpu-prof`, drives it with autocannon (own process), and prints the self time per
// request of the hottest functions and of each package. Not a benchmark: the profiler itself
// slows the app down, so read the shares, not the absolute figures.
//
//   node bench/profile.ts [full|bare] [seconds]      (BENCH_* / OTEL_* pass through)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@shipshape/test-harness';
import { loadTest } from './lib/load.ts';
import { firstLine, spawnNode, stop, waitFor200 } from './lib/processes.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const mode = process.argv[2] ?? 'full';
const seconds = Number(process.argv[3] ?? 10);

execFileSync(
  process.execPath,
  [join(packageDir, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  { cwd: packageDir, stdio: 'inherit' },
);

const workDir = mkdtempSync(join(tmpdir(), 'obs-profile-'));
const sink = spawnNode(
  [fileURLToPath(new URL('./fixtures/otlp-sink.ts', import.meta.url))],
  { PATH: process.env['PATH'] ?? '' },
  packageDir,
);
const sinkUrl = `http://127.0.0.1:${await firstLine(sink)}`;
const port = await freePort();
const passThrough = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => key.startsWith('BENCH_') || key.startsWith('OTEL_')),
);
const args = mode === 'bare' ? [] : ['--import', '@shipshape/observability/register'];
const child = spawnNode(
  [
    '--cpu-prof',
    '--cpu-prof-dir',
    workDir,
    ...args,
    fileURLToPath(new URL('./fixtures/hello-app.ts', import.meta.url)),
  ],
  {
    PATH: process.env['PATH'] ?? '',
    PORT: String(port),
    BENCH_MODE: mode,
    BENCH_LOG_FILE: join(workDir, 'access.log'),
    OTEL_SERVICE_NAME: 'bench',
    OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
    ...passThrough,
  },
  packageDir,
);
const url = `http://127.0.0.1:${port}/`;
await waitFor200(url, child);
await loadTest(url, 2, 32);
const load = await loadTest(url, seconds, 32);
await stop(child);
await stop(sink);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
const file = readdirSync(workDir).find((name) => name.endsWith('.cpuprofile'));
if (file === undefined) throw new Error('no .cpuprofile written');
const profile = JSON.parse(readFileSync(join(workDir, file), 'utf8')) as Profile;
rmSync(workDir, { recursive: true, force: true });

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function area(url: string): string {
  if (url === '') return '(native/vm)';
  if (url.startsWith('node:')) return url.split('/')[0]!.replace(/^node:internal$/, 'node:internal');
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes('/packages/observability/'))
    return 'observability: ' + url.split('/packages/observability/')[1];
  return url;
}

const functions = new Map<string, number>();
const areas = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)!.callFrame;
  const where =
    frame.url === ''
      ? ''
      : ` ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/packages\/observability\//, '')}:${frame.lineNumber + 1}`;
  const key = `${frame.functionName || '(anonymous)'}${where}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
  const a = area(frame.url);
  areas.set(a, (areas.get(a) ?? 0) + us);
}
const perRequest = (us: number): string => (us / load.requests).toFixed(2);
const top = (map: Map<string, number>, n: number) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ 'µs/req': perRequest(us), '%': ((100 * us) / total).toFixed(1), name }));

console.log(
  `\n${mode}: ${load.requests} requests, ${load.requestsPerSecond.toFixed(0)} req/s under the profiler; sampled CPU ${perRequest(total)} µs/req`,
);
console.table(top(areas, 25));
console.table(top(functions, Number(process.env['PROFILE_TOP'] ?? 45)));
