// The knee of the order pipeline: steps the offered rate of POST /orders (open loop, a separate
// @shipshape/load process) against the full platform (tracing on to a local OTLP sink, metrics
// on) and reports, per rate: accepted/s, paid/s during the load, the paid-lag (202 → `paid`)
// p50/p99/max, the backlog at the end of the load, Redis commands per order, and the CPU per
// order of every process (user, order, payment, Redis, load generator) — so the machine's own
// limit (cores ÷ CPU per order) stands beside what was achieved. The sustained rate is the
// highest offered rate whose paid-lag p99 stays under --max-lag (2 s) with every order accepted,
// paid once and none lost. Run through `node bench/flow.ts --knee …`; asserts nothing about time.
//
//   node bench/flow.ts --knee [--rates 200,400,…] [--duration 30s] [--rounds 1]
//     [--compare-root ../wt-base]   another checkout (built), run interleaved as `before`
//     [--compare-only]                   only that other checkout
//     [--redis-cluster]                  each variant of this checkout also on a Redis Cluster
//     [--variant 'name=full:KEY=value,…'] [--drain-timeout 60s] [--max-lag 2s] [--keep-going]
//     [--warmup 5s]                      50 orders/s before the first step, not measured
//
// --redis-cluster runs every variant of this checkout a second time, right after its one-node
// run, against a private Redis Cluster (3 masters + 3 replicas on this machine, test harness
// startRedisCluster; REDIS_URL=redis-cluster://…), named `<variant>, Redis Cluster`. There Redis
// commands per order are summed over the masters (bench/command-stats.ts) and the Redis CPU over
// all six redis-servers. The `before` build of --compare-root stays on one node (an older
// checkout may not run on a cluster), and --compare-only with --redis-cluster is refused.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { RedisClient } from '@shipshape/service-kit';
import { startOtlpReceiver } from '@shipshape/test-harness';
import { repositoryRoot, type Stack, type StackOptions } from '../dist/index.js';
import { startBenchRedis } from './bench-redis.ts';
import { commandsPerOrder, redisCommandCalls } from './command-stats.ts';
import { finishedChargesSince, ordersChargedMoreThanOnce, quantile } from './paid-lag.ts';
import { processCpuSeconds, reapedChildrenCpuSeconds } from './process-cpu.ts';
import { sumSamples } from '@shipshape/test-harness/exposition';
import { scrape } from './service-metrics.ts';

/** One build of the platform to measure, with extra environment. */
interface KneeVariant {
  name: string;
  /** Repository root whose built `tools/stack` and `tools/load` run this variant. */
  root: string;
  env: Record<string, string>;
  /** Run against a private Redis Cluster instead of one redis-server. */
  cluster: boolean;
}

/** One row: one offered rate of one variant in one round. */
export interface KneeRow {
  variant: string;
  round: number;
  offered: number;
  acceptedPerSec: number;
  /** Orders settled as paid per second while the load ran. */
  paidPerSecDuringLoad: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** Accepted orders not settled when the load stopped (queue, outbox, in flight). */
  backlogAtEnd: number;
  /** `queue_jobs{queue="payments"}` waiting + active + delayed when the load stopped. */
  queuedAtEnd: number;
  /** Accepted orders never settled within the drain timeout. */
  lost: number;
  /** Orders of this step the payment service holds more than one payment for. */
  duplicates: number;
  /**
   * Redis commands per accepted order (scripts' own commands included; on a cluster summed over
   * the masters), and by command.
   */
  redisCmdsPerOrder: number;
  redisPerOrder: Record<string, number>;
  /** CPU ms per accepted order, per process kind (`redis`: every redis-server) and in total. */
  cpuMsPerOrder: Record<string, number>;
  /** cores ÷ total CPU per order: orders/s the machine could do with nothing else running. */
  machineLimitPerSec: number;
  sustained: boolean;
  errors: string;
}

/** What @shipshape/load prints with --json (the fields read here). */
interface LoadResult {
  elapsedMs: number;
  sent: number;
  dropped: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
}

/** Runs the knee bench with `argv` (the options after `--knee`). */
export async function runKneeBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rates: { type: 'string', default: '200,400,600,800,1000,1200,1400,1600' },
      duration: { type: 'string', default: '30s' },
      rounds: { type: 'string', default: '1' },
      variant: { type: 'string', multiple: true, default: [] },
      'compare-root': { type: 'string' },
      'drain-timeout': { type: 'string', default: '60s' },
      'max-lag': { type: 'string', default: '2s' },
      'keep-going': { type: 'boolean', default: false },
      'compare-only': { type: 'boolean', default: false },
      warmup: { type: 'string', default: '5s' },
      'redis-cluster': { type: 'boolean', default: false },
      out: { type: 'string', default: 'knee.json' },
    },
  });
  const rates = values.rates.split(',').map(Number);
  if (rates.some((r) => !Number.isFinite(r) || r <= 0)) throw new RangeError(`bad --rates ${values.rates}`);
  const rounds = Number(values.rounds);
  const durationS = seconds(values.duration);
  const drainTimeoutMs = seconds(values['drain-timeout']) * 1000;
  const maxLagMs = seconds(values['max-lag']) * 1000;
  if (values['redis-cluster'] && values['compare-only'])
    throw new RangeError(
      '--redis-cluster runs only the variants of this checkout on a cluster, and --compare-only leaves none: drop one of the two',
    );
  const here = repositoryRoot.replace(/\/$/, '');
  const oneNode: KneeVariant[] = [
    ...(values['compare-root']
      ? [{ name: 'before', root: resolve(values['compare-root']), env: {}, cluster: false }]
      : []),
    ...(values['compare-only']
      ? []
      : [{ name: values['compare-root'] ? 'after' : 'full platform', root: here, env: {}, cluster: false }]),
    ...values.variant.map((text) => parseVariant(text, here)),
  ];
  // Each cluster twin right after its one-node run, so a busy stretch of the machine hits both.
  const variants = oneNode.flatMap((variant) =>
    values['redis-cluster'] && variant.root === here
      ? [variant, { ...variant, name: `${variant.name}, Redis Cluster`, cluster: true }]
      : [variant],
  );

  const rows: KneeRow[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternate the order per round so a busy stretch of a shared machine hits each variant alike.
    const order = round % 2 === 1 ? variants : [...variants].reverse();
    for (const variant of order) {
      rows.push(
        ...(await runVariant(variant, round, rates, {
          durationS,
          drainTimeoutMs,
          maxLagMs,
          keepGoing: values['keep-going'],
          warmupS: seconds(values.warmup),
        })),
      );
    }
  }
  report(rows, variants, { durationS, rounds, maxLagMs, redisCluster: values['redis-cluster'] }, values.out);
}

interface StepSettings {
  durationS: number;
  drainTimeoutMs: number;
  maxLagMs: number;
  keepGoing: boolean;
  /** Seconds of 50 orders/s before the first step (JIT, connections, users), not measured. */
  warmupS: number;
}

async function runVariant(
  variant: KneeVariant,
  round: number,
  rates: number[],
  settings: StepSettings,
): Promise<KneeRow[]> {
  const { startStack } = (await import(
    pathToFileURL(join(variant.root, 'tools/stack/dist/index.js')).href
  )) as {
    startStack: (options: StackOptions) => Promise<Stack>;
  };
  const redis = await startBenchRedis(variant.cluster);
  const sink = await startOtlpReceiver({ keepSpans: false });
  const stack = await startStack({
    redisUrl: redis.url,
    telemetry: true,
    logLevel: 'info',
    env: {
      RATE_LIMIT__LIMIT: '1000000',
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      // Every completed charge job stays for the paid-lag read-out (see paid-lag.ts).
      RETENTION__COMPLETED_JOB_COUNT: '1000000',
      ...variant.env,
    },
  });
  const rows: KneeRow[] = [];
  try {
    if (settings.warmupS > 0) {
      // Seed 1: no offered rate uses it, so the steps' idempotency keys are all new.
      await runLoad(variant.root, stack, 50, settings.warmupS, 1);
      const until = Date.now() + 30_000;
      while ((await settledCounts(stack)).queued > 0 && Date.now() < until) await sleep(250);
    }
    for (const offered of rates) {
      const row = await runStep(stack, redis.client, redis.pids, variant, round, offered, settings);
      rows.push(row);
      console.error(
        `knee: ${variant.name} r${round} ${offered}/s: accepted ${row.acceptedPerSec}/s, paid ${row.paidPerSecDuringLoad}/s during load, lag p99 ${row.lagP99Ms} ms, CPU ${row.cpuMsPerOrder.total} ms/order${row.sustained ? '' : ' (not sustained)'}`,
      );
      if (!row.sustained && !settings.keepGoing) break;
    }
  } finally {
    await stack.stop();
    await sink.close();
    await redis.close();
  }
  return rows;
}

/**
 * CPU seconds of every measured process now, by kind (replicas of a service summed; `redis`:
 * every redis-server, so a cluster's masters and replicas).
 */
function cpuNow(stack: Stack, redisPids: () => number[]): Record<string, number> {
  const cpu: Record<string, number> = { user: 0, order: 0, payment: 0 };
  for (const p of stack.processes) cpu[p.service] = (cpu[p.service] ?? 0) + processCpuSeconds(p.pid);
  cpu.redis = redisPids().reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
  cpu.load = reapedChildrenCpuSeconds();
  return cpu;
}

async function settledCounts(stack: Stack): Promise<{ paid: number; settled: number; queued: number }> {
  const exposition = await scrape(stack.url('order'));
  const paid = sumSamples(exposition, 'orders_total', { status: 'paid' });
  const settled =
    paid +
    sumSamples(exposition, 'orders_total', { status: 'payment_declined' }) +
    sumSamples(exposition, 'orders_total', { status: 'payment_failed' });
  const queued = ['waiting', 'active', 'delayed'].reduce(
    (sum, state) => sum + sumSamples(exposition, 'queue_jobs', { queue: 'payments', state }),
    0,
  );
  return { paid, settled, queued };
}

async function runStep(
  stack: Stack,
  client: RedisClient,
  redisPids: () => number[],
  variant: KneeVariant,
  round: number,
  offered: number,
  settings: StepSettings,
): Promise<KneeRow> {
  const before = await settledCounts(stack);
  const callsBefore = await redisCommandCalls(client);
  const cpuBefore = cpuNow(stack, redisPids);
  const startedMs = Date.now();
  const result = await runLoad(variant.root, stack, offered, settings.durationS);
  const atEnd = await settledCounts(stack);
  const accepted = result.statuses['202'] ?? 0;
  const loadEnded = Date.now();
  let now = atEnd;
  while (now.settled - before.settled < accepted && Date.now() - loadEnded < settings.drainTimeoutMs) {
    await sleep(250);
    now = await settledCounts(stack);
  }
  const cpuAfter = cpuNow(stack, redisPids);
  const redisPerOrder = commandsPerOrder(callsBefore, await redisCommandCalls(client), accepted);
  const finished = await finishedChargesSince(client, startedMs);
  const lags = finished.lagsMs;
  const lost = Math.max(0, accepted - (now.settled - before.settled));
  const perOrder = (s: number) => round2((s * 1000) / Math.max(1, accepted));
  const cpuMsPerOrder: Record<string, number> = {};
  let total = 0;
  for (const kind of Object.keys(cpuAfter)) {
    const used = cpuAfter[kind]! - (cpuBefore[kind] ?? 0);
    total += used;
    cpuMsPerOrder[kind] = perOrder(used);
  }
  cpuMsPerOrder.total = perOrder(total);
  const lagP99Ms = quantile(lags, 0.99);
  const duplicates = await ordersChargedMoreThanOnce(client, finished.orderIds);
  const allAccepted = accepted >= 0.99 * offered * settings.durationS && result.dropped === 0;
  return {
    variant: variant.name,
    round,
    offered,
    acceptedPerSec: round2(accepted / (result.elapsedMs / 1000)),
    paidPerSecDuringLoad: round2((atEnd.paid - before.paid) / (result.elapsedMs / 1000)),
    lagP50Ms: quantile(lags, 0.5),
    lagP99Ms,
    lagMaxMs: lags.at(-1) ?? Number.NaN,
    backlogAtEnd: accepted - (atEnd.settled - before.settled),
    queuedAtEnd: atEnd.queued,
    lost,
    duplicates,
    redisCmdsPerOrder: round2(Object.values(redisPerOrder).reduce((a, b) => a + b, 0)),
    redisPerOrder,
    cpuMsPerOrder,
    machineLimitPerSec: Math.round(availableParallelism() / (total / Math.max(1, accepted))),
    sustained: allAccepted && lost === 0 && duplicates === 0 && lagP99Ms < settings.maxLagMs,
    errors: Object.entries(result.statuses)
      .filter(([status]) => status !== '202' && status !== '201') // 201: the load's own users
      .map(([status, n]) => `${status}:${n}`)
      .concat(Object.entries(result.errors).map(([code, n]) => `${code}:${n}`))
      .concat(result.dropped > 0 ? [`dropped:${result.dropped}`] : [])
      .join(' '),
  };
}

async function runLoad(
  root: string,
  stack: Stack,
  rate: number,
  durationS: number,
  seed = rate + 1,
): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'tools/load/dist/cli.js'),
      ...['--rate', String(rate), '--duration', `${durationS}s`, '--mix', 'create-order=1'],
      ...['--seed', String(seed), '--timeout', '10s', '--max-in-flight', '512'],
      ...['--json', '--quiet', '--metrics-port', 'off'],
      ...['--user-url', stack.url('user'), '--order-url', stack.url('order')],
      ...['--payment-url', stack.url('payment')],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`the load generator exited with ${code}`);
  return JSON.parse(stdout) as LoadResult;
}

function report(
  rows: KneeRow[],
  variants: KneeVariant[],
  run: { durationS: number; rounds: number; maxLagMs: number; redisCluster: boolean },
  out: string,
): void {
  console.log(
    `\nKnee: POST /orders open-loop for ${run.durationS} s per rate, full platform (tracing on)${run.redisCluster ? ' on one redis-server and on a Redis Cluster (3 masters + 3 replicas)' : ''}, ${run.rounds} round(s); sustained = paid-lag p99 < ${run.maxLagMs} ms, all accepted, none lost or charged twice`,
  );
  console.table(
    rows.map((r) => ({
      variant: r.variant,
      round: r.round,
      offered: r.offered,
      'accepted/s': r.acceptedPerSec,
      'paid/s (load)': r.paidPerSecDuringLoad,
      'lag p50 ms': r.lagP50Ms,
      'lag p99 ms': r.lagP99Ms,
      'lag max ms': r.lagMaxMs,
      backlog: r.backlogAtEnd,
      lost: r.lost,
      dup: r.duplicates,
      'redis/order': r.redisCmdsPerOrder,
      'limit/s': r.machineLimitPerSec,
      ok: r.sustained ? 'yes' : 'no',
      errors: r.errors,
    })),
  );
  console.log('CPU ms per accepted order, by process (load start → backlog drained)');
  console.table(
    rows.map((r) => ({ variant: r.variant, round: r.round, offered: r.offered, ...r.cpuMsPerOrder })),
  );
  console.log(
    "Redis commands per accepted order, by command (first round, lowest rate; scripts' own commands included)",
  );
  for (const v of variants) {
    const first = rows.find((r) => r.variant === v.name);
    if (first) console.log(`  ${v.name} at ${first.offered}/s: ${JSON.stringify(first.redisPerOrder)}`);
  }
  const summary = variants.map((v) => {
    const mine = rows.filter((r) => r.variant === v.name);
    const perRound = [...new Set(mine.map((r) => r.round))].map((round) =>
      Math.max(0, ...mine.filter((r) => r.round === round && r.sustained).map((r) => r.offered)),
    );
    const atKnee = mine.filter((r) => r.sustained).sort((a, b) => b.offered - a.offered)[0];
    return {
      variant: v.name,
      'sustained/s per round': perRound.join(', '),
      'CPU ms/order at it': atKnee?.cpuMsPerOrder.total,
      'machine limit/s': atKnee?.machineLimitPerSec,
      'sustained ÷ limit': atKnee ? round2(atKnee.offered / atKnee.machineLimitPerSec) : undefined,
    };
  });
  console.log('sustained rate (highest offered rate that passed)');
  console.table(summary);
  const machine = {
    cpus: availableParallelism(),
    model: cpus()[0]?.model,
    loadavg: loadavg(),
    node: process.version,
  };
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL(`results/${out}`, import.meta.url),
    `${JSON.stringify({ date: new Date().toISOString(), run, variants, machine, rows, summary }, null, 2)}\n`,
  );
  console.log(`written bench/results/${out}`);
}

/** `name=full:KEY=value,KEY=value` → a variant of this checkout with that environment. */
function parseVariant(text: string, root: string): KneeVariant {
  const match = /^(.+?)=full(?::(.*))?$/.exec(text);
  if (match === null) throw new RangeError(`--variant must be 'name=full:KEY=value,…', got ${text}`);
  const env = Object.fromEntries(
    (match[2] ?? '')
      .split(',')
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  return { name: match[1]!, root, env, cluster: false };
}

function seconds(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text);
  if (match === null) throw new RangeError(`not a duration: ${text}`);
  const value = Number(match[1]);
  return match[2] === 'ms' ? value / 1000 : match[2] === 'm' ? value * 60 : value;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
