// The order flow benchmark: orders accepted per second and the p99 of POST /orders with the full
// platform (tracing on, exporting to a local OTLP sink; request metrics on) against the same
// services with OTEL_SDK_DISABLED=true and METRICS__ENABLED=false, under open-loop load from a
// separate process (@shipshape/load), plus the time until every accepted order is paid and the
// order process's CPU per order. Prints a table and writes bench/results/flow.json; asserts
// nothing about time.
//
//   npm run bench -w @shipshape/stack [-- --rates 100,800 --duration 15s --rounds 3]
//   node bench/flow.ts --rates 800 --rounds 3 --variant 'full, no exemplars=full:KEY=value'
//   node bench/flow.ts --knee [--rates 200,400,… --duration 30s --compare-root DIR]  (bench/knee.ts)
//   node bench/flow.ts --rates 200,400 --redis-cluster   # each variant on one node and on a cluster
//
// Each rate uses its own seed (fresh idempotency keys); every variant gets the same seeds and a
// fresh Redis. With --rounds N the variants run interleaved (full, off, full, off, …), so that
// a busy moment of a shared machine hits both alike, and the table adds the median of each. A
// --variant 'name=full|off:KEY=value,…' adds a variant: the full or off settings plus that
// environment (to compare two settings of the full platform). --redis-cluster runs every variant
// a second time against a private Redis Cluster (3 masters + 3 replicas, test harness
// startRedisCluster; REDIS_URL=redis-cluster://…). The services log at `info` (one
// access-log line per request) in every variant: logs are not what the comparison is about.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startRedis, startRedisCluster } from '@shipshape/test-harness';
import { repositoryRoot, startStack, type Stack } from '../dist/index.js';
import { startOtlpReceiver } from '@shipshape/test-harness';
import { sumSamples } from '@shipshape/test-harness/exposition';
import { scrape } from './service-metrics.ts';

// `--knee` steps the offered rate and finds the sustained paid rate instead (bench/knee.ts).
if (process.argv.includes('--knee')) {
  const { runKneeBench } = await import('./knee.ts');
  await runKneeBench(process.argv.slice(2).filter((arg) => arg !== '--knee'));
  process.exit(0);
}

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '100,800' },
    duration: { type: 'string', default: '15s' },
    rounds: { type: 'string', default: '1' },
    variant: { type: 'string', multiple: true, default: [] },
    'redis-cluster': { type: 'boolean', default: false },
  },
});
const rates = values.rates.split(',').map(Number);
const duration = values.duration;
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new RangeError(`--rounds must be a positive integer, got ${values.rounds}`);

/** One set of services to measure: the full platform or telemetry off, plus extra environment. */
interface Variant {
  name: string;
  base: 'full' | 'off';
  env: Record<string, string>;
  /** Run against a Redis Cluster instead of one redis-server. */
  cluster?: boolean;
}

const oneNode: Variant[] = [
  { name: 'full platform', base: 'full', env: {} },
  { name: 'tracing and metrics off', base: 'off', env: {} },
  ...values.variant.map(parseVariant),
];
const variants: Variant[] = [
  ...oneNode,
  ...(values['redis-cluster']
    ? oneNode.map((variant) => ({ ...variant, name: `${variant.name}, Redis Cluster`, cluster: true }))
    : []),
];

/** `name=full:KEY=value,KEY=value` (or `off`) → a variant. */
function parseVariant(text: string): Variant {
  const match = /^(.+)=(full|off)(?::(.*))?$/.exec(text);
  if (match === null) throw new RangeError(`--variant must be 'name=full|off:KEY=value,…', got ${text}`);
  const env = Object.fromEntries(
    (match[3] ?? '')
      .split(',')
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  return { name: match[1]!, base: match[2] as 'full' | 'off', env };
}
const loadCli = `${repositoryRoot}tools/load/dist/cli.js`;
const drainTimeoutMs = 180_000;

/** What @shipshape/load prints with --json (the fields read here). */
interface LoadResult {
  elapsedMs: number;
  sent: number;
  dropped: number;
  achievedRate: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  kinds: Record<string, { completed: number; latency: { p50Ms: number; p99Ms: number; maxMs: number } }>;
}

/** One row of the table. */
interface Row {
  variant: string;
  round: number;
  targetRate: number;
  sent: number;
  dropped: number;
  accepted: number;
  acceptedPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 201/202 by status, then by problem code or transport error. */
  errors: string;
  paid: number;
  paidAfterMs: number | null;
  orderCpuMsPerOrder: number;
}

async function runLoad(stack: Stack, rate: number): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    [
      loadCli,
      ...['--rate', String(rate), '--duration', duration, '--mix', 'create-order=1', '--seed', String(rate)],
      ...['--timeout', '10s', '--max-in-flight', '512', '--json', '--quiet', '--metrics-port', 'off'],
      ...[
        '--user-url',
        stack.url('user'),
        '--order-url',
        stack.url('order'),
        '--payment-url',
        stack.url('payment'),
      ],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`the load generator exited with ${code}`);
  return JSON.parse(stdout) as LoadResult;
}

async function paidCount(stack: Stack): Promise<number> {
  return sumSamples(await scrape(stack.url('order')), 'orders_total', { status: 'paid' });
}

async function orderCpuSeconds(stack: Stack): Promise<number> {
  return sumSamples(await scrape(stack.url('order')), 'process_cpu_seconds_total');
}

async function runVariant(variant: Variant, roundNumber: number): Promise<Row[]> {
  const redis = variant.cluster ? await startRedisCluster() : await startRedis();
  const sink = await startOtlpReceiver({ keepSpans: false });
  const full = variant.base === 'full';
  const stack = await startStack({
    redisUrl: redis.url,
    telemetry: full,
    logLevel: 'info',
    env: {
      RATE_LIMIT__LIMIT: '1000000',
      ...(full ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint } : { METRICS__ENABLED: 'false' }),
      ...variant.env,
    },
  });
  const rows: Row[] = [];
  try {
    for (const rate of rates) {
      const paidBefore = await paidCount(stack);
      const cpuBefore = await orderCpuSeconds(stack);
      const result = await runLoad(stack, rate);
      const loadEnded = Date.now();
      const orders = result.kinds['create-order'];
      const accepted = result.statuses['202'] ?? 0;
      let paid = (await paidCount(stack)) - paidBefore;
      while (paid < accepted && Date.now() - loadEnded < drainTimeoutMs) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        paid = (await paidCount(stack)) - paidBefore;
      }
      const paidAfterMs = paid >= accepted ? Date.now() - loadEnded : null;
      const cpu = (await orderCpuSeconds(stack)) - cpuBefore;
      rows.push({
        variant: variant.name,
        round: roundNumber,
        targetRate: rate,
        sent: result.sent,
        dropped: result.dropped,
        accepted,
        acceptedPerSec: round(accepted / (result.elapsedMs / 1000)),
        p50Ms: round(orders?.latency.p50Ms ?? Number.NaN),
        p99Ms: round(orders?.latency.p99Ms ?? Number.NaN),
        errors: Object.entries(result.statuses)
          .filter(([status]) => status !== '202' && status !== '201')
          .map(([status, n]) => `${status}:${n}`)
          .concat(Object.entries(result.errors).map(([code, n]) => `${code}:${n}`))
          .join(' '),
        paid,
        paidAfterMs,
        orderCpuMsPerOrder: round((cpu * 1000) / Math.max(1, accepted)),
      });
      console.error(
        `flow bench: ${variant.name}, round ${roundNumber}, at ${rate}/s done (${accepted} accepted, ${paid} paid)`,
      );
    }
  } finally {
    await stack.stop();
    await sink.close();
    await redis.close();
  }
  if (full) console.error(`flow bench: OTLP sink received ${JSON.stringify(sink.stats())}`);
  return rows;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const rows: Row[] = [];
for (let roundNumber = 1; roundNumber <= rounds; roundNumber++) {
  for (const variant of variants) rows.push(...(await runVariant(variant, roundNumber)));
}

function median(list: readonly number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Per variant and rate, the median over the rounds of each figure that is a number. */
const medians = variants.flatMap((variant) =>
  rates.map((rate) => {
    const mine = rows.filter((row) => row.variant === variant.name && row.targetRate === rate);
    const of = (pick: (row: Row) => number | null): number =>
      round(median(mine.map(pick).filter((v): v is number => v !== null)));
    return {
      variant: variant.name,
      targetRate: rate,
      acceptedPerSec: of((row) => row.acceptedPerSec),
      acceptedRatio: of((row) => row.accepted / Math.max(1, row.sent)),
      p50Ms: of((row) => row.p50Ms),
      p99Ms: of((row) => row.p99Ms),
      paidAfterMs: of((row) => row.paidAfterMs),
      orderCpuMsPerOrder: of((row) => row.orderCpuMsPerOrder),
    };
  }),
);
const medianOf = (name: string, rate: number) =>
  medians.find((m) => m.variant === name && m.targetRate === rate);
const ratios = variants
  .filter((variant) => variant.name !== 'tracing and metrics off')
  .flatMap((variant) =>
    rates.map((rate) => {
      const mine = medianOf(variant.name, rate);
      const off = medianOf('tracing and metrics off', rate);
      return {
        variant: variant.name,
        targetRate: rate,
        acceptedPerSecRatio: round((mine?.acceptedPerSec ?? 0) / (off?.acceptedPerSec ?? 1)),
        p99Ratio: round((mine?.p99Ms ?? 0) / (off?.p99Ms ?? 1)),
        orderCpuRatio: round((mine?.orderCpuMsPerOrder ?? 0) / (off?.orderCpuMsPerOrder ?? 1)),
      };
    }),
  );
console.log(
  `\nOrder flow: POST /orders open-loop for ${duration} per rate (@shipshape/load, separate process), ${rounds} interleaved round(s)`,
);
console.table(rows);
if (rounds > 1) {
  console.log('medians over the rounds');
  console.table(medians);
}
console.log(
  'each variant / tracing and metrics off (accepted/s: higher is better; p99, CPU: lower is better)',
);
console.table(ratios);
const machine = {
  cpus: availableParallelism(),
  model: cpus()[0]?.model,
  loadavg: loadavg(),
  node: process.version,
};
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('results/flow.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), duration, rates, rounds, variants, machine, rows, medians, ratios }, null, 2)}\n`,
);
console.log('written bench/results/flow.json');
