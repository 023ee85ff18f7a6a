// Redis rate limiters on a private redis-server (test harness startRedis, 127.0.0.1):
// decisions/s at concurrency 1 and 64 for this package's token bucket and GCRA against
// rate-limiter-flexible's RateLimiterRedis and against a bare EVALSHA of `return 1` (the
// ceiling: one round trip that does nothing), then rejections of an over-limit key answered by
// the local fast path vs by a Redis round trip. Each row is the median of `rounds` runs.
// Prints a table, writes bench/results/rate-limit.json, asserts nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startRedis } from '@shipshape/test-harness';
import { Redis, type RedisOptions } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import {
  RedisRateLimiter,
  rateLimitRedisOptions,
  type RateLimitAlgorithm,
  type RedisRateLimiterOptions,
} from '../src/rate-limit/index.ts';

const settings = {
  opsC1: Number(process.env['BENCH_OPS_C1'] ?? 15_000),
  opsC64: Number(process.env['BENCH_OPS_C64'] ?? 120_000),
  rounds: Number(process.env['BENCH_ROUNDS'] ?? 3),
  keys: 1000,
};

type Op = (i: number) => Promise<unknown>;

async function measure(op: Op, ops: number, concurrency: number): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ops) {
      const i = next;
      next += 1;
      await op(i);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (ops / (performance.now() - start)) * 1000;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function rate(op: Op, concurrency: number): Promise<number> {
  const ops = concurrency === 1 ? settings.opsC1 : settings.opsC64;
  await measure(op, Math.min(5000, ops), concurrency); // warm-up: JIT, scripts loaded
  const runs: number[] = [];
  for (let r = 0; r < settings.rounds; r++) runs.push(await measure(op, ops, concurrency));
  return median(runs);
}

const server = await startRedis();
const connect = async (options: RedisOptions): Promise<Redis> => {
  const client = new Redis(server.url, { ...options, lazyConnect: true });
  client.on('error', (error: Error) => console.error('redis client error', error.message));
  await client.connect();
  return client;
};
// This package's recommended client (auto-pipelining on) and a default ioredis client.
const tuned = await connect(rateLimitRedisOptions({ commandTimeoutMs: 30_000 }));
const plain = await connect({});

const rows: { case: string; client: string; concurrency: number; decisionsPerS: number }[] = [];
const record = async (name: string, clientName: string, op: Op): Promise<void> => {
  for (const concurrency of [1, 64]) {
    const decisionsPerS = await rate(op, concurrency);
    rows.push({ case: name, client: clientName, concurrency, decisionsPerS });
    console.log(`  ${name} [${clientName}] c=${concurrency}: ${Math.round(decisionsPerS)}/s`);
  }
};

const key = (i: number): string => `user-${i % settings.keys}`;
// A slow decision must still be a Redis decision here, never a fail-mode answer: a generous
// timeout, 'closed', and any degradation is reported and fails the run.
const benchLimiter = (options: Omit<RedisRateLimiterOptions, 'timeoutMs' | 'failMode'>): RedisRateLimiter => {
  const limiter = new RedisRateLimiter({ ...options, timeoutMs: 30_000, failMode: 'closed' });
  limiter.onDegraded((event) => {
    if (event.degraded) {
      console.error(`limiter ${limiter.name} degraded: the bench would measure its fail mode`, event.error);
      process.exit(1);
    }
  });
  return limiter;
};
// Limits far above the load, so every decision is an admission on every limiter.
const big = { limit: 10_000_000, windowMs: 60_000 };

for (const [clientName, client] of [
  ['tuned', tuned],
  ['plain', plain],
] as const) {
  const sha = (await client.script('LOAD', 'return 1')) as string;
  await record('EVALSHA return 1 (ceiling)', clientName, () => client.evalsha(sha, 0));
  for (const algorithm of ['token-bucket', 'gcra'] as RateLimitAlgorithm[]) {
    const limiter = benchLimiter({ client, algorithm, name: `bench-${clientName}`, ...big });
    await record(`shipshape ${algorithm}`, clientName, (i) => limiter.consume(key(i)));
  }
  const flexible = new RateLimiterRedis({
    storeClient: client,
    keyPrefix: `rlf-${clientName}`,
    points: big.limit,
    duration: big.windowMs / 1000,
  });
  await record('rate-limiter-flexible RateLimiterRedis', clientName, (i) => flexible.consume(key(i)));
}

// Over-limit key: a rejection answered locally vs by Redis (same limiter, cache on or off).
const overLimit: { path: string; concurrency: number; rejectionsPerS: number }[] = [];
for (const [path, localRejections] of [
  ['local fast path', true],
  ['Redis round trip', false],
] as const) {
  const limiter = benchLimiter({
    client: tuned,
    algorithm: 'token-bucket',
    name: `over-${path.replace(/ /g, '-')}`,
    limit: 10,
    windowMs: 3_600_000,
    localRejections,
  });
  await limiter.consume('hot', 10);
  const op: Op = async () => {
    if ((await limiter.consume('hot')).allowed) throw new Error('the over-limit key was admitted');
  };
  for (const concurrency of [1, 64]) {
    const rejectionsPerS = await rate(op, concurrency);
    overLimit.push({ path, concurrency, rejectionsPerS });
    console.log(`  over-limit ${path} c=${concurrency}: ${Math.round(rejectionsPerS)}/s`);
  }
}

const find = (name: string, client: string, c: number): number =>
  rows.find((r) => r.case === name && r.client === client && r.concurrency === c)!.decisionsPerS;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

console.log('\nDecisions/s (median of %d runs; 1000 keys; every decision admitted)', settings.rounds);
console.log('| case | client | c=1 | c=64 | c=64 vs rate-limiter-flexible (same client) |');
console.log('|---|---|---:|---:|---:|');
for (const clientName of ['tuned', 'plain']) {
  const rlf64 = find('rate-limiter-flexible RateLimiterRedis', clientName, 64);
  for (const name of [...new Set(rows.map((r) => r.case))]) {
    const c64 = find(name, clientName, 64);
    console.log(
      `| ${name} | ${clientName} | ${fmt(find(name, clientName, 1))} | ${fmt(c64)} | ${(c64 / rlf64).toFixed(2)}× |`,
    );
  }
}
const ours64 = find('shipshape token-bucket', 'tuned', 64);
console.log(
  `\nshipshape token-bucket (tuned client) vs rate-limiter-flexible on a default ioredis client, c=64: ${(ours64 / find('rate-limiter-flexible RateLimiterRedis', 'plain', 64)).toFixed(2)}×`,
);
console.log('\nOver-limit key, rejections/s');
console.log('| path | c=1 | c=64 |');
console.log('|---|---:|---:|');
const over = (path: string, c: number): number =>
  overLimit.find((r) => r.path === path && r.concurrency === c)!.rejectionsPerS;
for (const path of ['local fast path', 'Redis round trip']) {
  console.log(`| ${path} | ${fmt(over(path, 1))} | ${fmt(over(path, 64))} |`);
}
console.log(
  `| speed-up | ${(over('local fast path', 1) / over('Redis round trip', 1)).toFixed(1)}× | ${(over('local fast path', 64) / over('Redis round trip', 64)).toFixed(1)}× |`,
);
console.log(
  '\nclients: tuned = rateLimitRedisOptions() (auto-pipelining, no offline queue); plain = new Redis(url) defaults',
);

const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(
  `${dir}rate-limit.json`,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: availableParallelism(),
      settings,
      decisions: rows,
      overLimit,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${dir}rate-limit.json`);

tuned.disconnect();
plain.disconnect();
await server.close();
