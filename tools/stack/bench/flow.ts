// The order flow benchmark: orders accepted per second and the p99 of POST /orders with the full
// platform (tracing on, exporting to a local OTLP sink; request metrics on) against the same
// services with OTEL_SDK_DISABLED=true and METRICS__ENABLED=false, under open-loop load from a separate process (@shipshape/load), plus the
// time until every accepted order is paid. One run; prints a table and writes
// bench/results/flow.json; asserts nothing about time.
//
//   npm run bench -w @shipshape/stack [-- --rates 100,800 --duration 15s]
//
// Each rate uses its own seed (fresh idempotency keys); both variants get the same seeds and a
// fresh Redis. The services log at `info` (one access-log line per request) in both variants:
// logs are not what the comparison is about, and both pay for them alike.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startRedis } from '@shipshape/test-harness';
import { repositoryRoot, startStack, type Stack } from '../dist/index.js';
import { startOtlpReceiver } from '../test/support/otlp-receiver.ts';
import { sampleSum, scrape } from './service-metrics.ts';

const { values } = parseArgs({
  options: { rates: { type: 'string', default: '100,800' }, duration: { type: 'string', default: '15s' } },
});
const rates = values.rates.split(',').map(Number);
const duration = values.duration;
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
  return sampleSum(await scrape(stack.url('order')), 'orders_total', { status: 'paid' });
}

async function orderCpuSeconds(stack: Stack): Promise<number> {
  return sampleSum(await scrape(stack.url('order')), 'process_cpu_seconds_total');
}

async function runVariant(variant: 'full' | 'off'): Promise<Row[]> {
  const redis = await startRedis();
  const sink = await startOtlpReceiver({ keepSpans: false });
  const stack = await startStack({
    redisUrl: redis.url,
    telemetry: variant === 'full',
    logLevel: 'info',
    env: {
      RATE_LIMIT__LIMIT: '1000000',
      ...(variant === 'full'
        ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint }
        : { METRICS__ENABLED: 'false' }),
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
        variant: variant === 'full' ? 'full platform' : 'tracing and metrics off',
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
      console.error(`flow bench: ${variant} at ${rate}/s done (${accepted} accepted, ${paid} paid)`);
    }
  } finally {
    await stack.stop();
    await sink.close();
    await redis.close();
  }
  if (variant === 'full') console.error(`flow bench: OTLP sink received ${JSON.stringify(sink.stats())}`);
  return rows;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const full = await runVariant('full');
const off = await runVariant('off');
const rows = [...full, ...off];
const ratios = rates.map((rate, i) => ({
  targetRate: rate,
  acceptedPerSecRatio: round((full[i]?.acceptedPerSec ?? 0) / (off[i]?.acceptedPerSec ?? 1)),
  p99Ratio: round((full[i]?.p99Ms ?? 0) / (off[i]?.p99Ms ?? 1)),
}));
console.log(
  `\nOrder flow: POST /orders open-loop for ${duration} per rate (@shipshape/load, separate process)`,
);
console.table(rows);
console.log('full platform / tracing and metrics off (accepted/s: higher is better; p99: lower is better)');
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
  `${JSON.stringify({ date: new Date().toISOString(), duration, rates, machine, rows, ratios }, null, 2)}\n`,
);
console.log('written bench/results/flow.json');
