// Redis rate limiters on a private redis-server (test harness startRedis, 127.0.0.1):
// decisions/s at concurrency 1 and 64 for this package's token bucket and GCRA against
// rate-limiter-flexible's RateLimiterRedis and against a bare EVALSHA of `return 1` (the
// ceiling: one round trip that does nothing), then rejections of an over-limit key answered by
// the local fast path vs by a Redis round trip. Contenders run interleaved, round after round
// (so a busy neighbour on the machine hurts all of them alike), and each figure is the median
// of the rounds. Prints a table, writes bench/results/rate-limit.json, asserts nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startRedis } from '@shipshape/test-harness';
import { Redis, type RedisOptions } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import {
  RedisRateLimiter,
  rateLimitRedisOptions,
  type RedisRateLimiterOptions,
} from '../src/rate-limit/index.ts';

const settings = {
  opsC1: Number(process.env['BENCH_OPS_C1'] ?? 10_000),
  opsC64: Number(process.env['BENCH_OPS_C64'] ?? 80_000),
  rounds: Number(process.env['BENCH_ROUNDS'] ?? 5),
  keys: 1000,
  // Far above the load (every decision admitted) and long enough that keys keep their state.
  limit: 10_000,
  windowMs: 86_400_000,
};

type Op = (i: number) => Promise<unknown>;
interface Contender {
  name: string;
  op: Op;
}

interface Sample {
  /** decisions per second (wall clock) */
  rate: number;
  /** CPU µs this process spent per decision */
  clientUs: number;
  /** CPU µs the redis-server spent per decision */
  redisUs: number;
}

// CPU time is far less sensitive than wall time to other jobs on the machine, so the table
// shows both: throughput, and what each decision costs the client and the server.
async function redisCpuUs(): Promise<number> {
  const info = await client.info('cpu');
  const field = (name: string): number => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1e6;
}

async function measure(op: Op, ops: number, concurrency: number): Promise<Sample> {
  const redisBefore = await redisCpuUs();
  const cpuBefore = process.cpuUsage();
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
  const rate = (ops / (performance.now() - start)) * 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const redisUs = (await redisCpuUs()) - redisBefore;
  return { rate, clientUs: (cpu.user + cpu.system) / ops, redisUs: redisUs / ops };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median figures per contender and concurrency, contenders interleaved within each round. */
async function compare(contenders: Contender[]): Promise<Map<string, Sample>> {
  const runs = new Map<string, Sample[]>();
  for (const { op } of contenders) await measure(op, 3000, 64); // warm-up: JIT, scripts loaded
  for (let round = 0; round < settings.rounds; round++) {
    for (const concurrency of [1, 64]) {
      for (const { name, op } of contenders) {
        const rate = await measure(op, concurrency === 1 ? settings.opsC1 : settings.opsC64, concurrency);
        const id = `${name}@${concurrency}`;
        runs.set(id, [...(runs.get(id) ?? []), rate]);
      }
    }
    process.stdout.write(`  round ${round + 1}/${settings.rounds} done\n`);
  }
  const pick = (samples: Sample[], field: keyof Sample): number => median(samples.map((x) => x[field]));
  return new Map(
    [...runs].map(([id, samples]) => [
      id,
      { rate: pick(samples, 'rate'), clientUs: pick(samples, 'clientUs'), redisUs: pick(samples, 'redisUs') },
    ]),
  );
}

const server = await startRedis();
const connect = async (options: RedisOptions): Promise<Redis> => {
  const client = new Redis(server.url, { ...options, lazyConnect: true });
  client.on('error', (error: Error) => console.error('redis client error', error.message));
  await client.connect();
  return client;
};
const client = await connect(rateLimitRedisOptions({ commandTimeoutMs: 30_000 }));
const pipelined = await connect(rateLimitRedisOptions({ commandTimeoutMs: 30_000, autoPipelining: true }));

// A slow decision must still be a Redis decision here, never a fail-mode answer: a generous
// timeout, 'closed', and any degradation aborts the run.
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
const key = (i: number): string => `user-${i % settings.keys}`;
const limits = { limit: settings.limit, windowMs: settings.windowMs };
const sha = (await client.script('LOAD', 'return 1')) as string;
const tokenBucket = benchLimiter({ client, name: 'tb', algorithm: 'token-bucket', ...limits });
const gcra = benchLimiter({ client, name: 'gcra', algorithm: 'gcra', ...limits });
const unbatched = benchLimiter({ client, name: 'tb1', algorithm: 'token-bucket', ...limits, batchSize: 1 });
const flexible = new RateLimiterRedis({
  storeClient: client,
  keyPrefix: 'rlf',
  points: settings.limit,
  duration: settings.windowMs / 1000,
});
const flexiblePipelined = new RateLimiterRedis({
  storeClient: pipelined,
  keyPrefix: 'rlf-ap',
  points: settings.limit,
  duration: settings.windowMs / 1000,
});

const contenders: Contender[] = [
  { name: 'EVALSHA return 1 (ceiling, one command per decision)', op: () => client.evalsha(sha, 0) },
  { name: 'shipshape token-bucket', op: (i) => tokenBucket.consume(key(i)) },
  { name: 'shipshape gcra', op: (i) => gcra.consume(key(i)) },
  { name: 'shipshape token-bucket, batchSize 1', op: (i) => unbatched.consume(key(i)) },
  { name: 'rate-limiter-flexible RateLimiterRedis', op: (i) => flexible.consume(key(i)) },
  { name: 'rate-limiter-flexible, auto-pipelining client', op: (i) => flexiblePipelined.consume(key(i)) },
];
console.log(`decisions: ${contenders.length} contenders × ${settings.rounds} rounds`);
const decisions = await compare(contenders);

// Over-limit key: a rejection answered locally vs by Redis (same limiter, cache on or off).
const overLimiter = (name: string, localRejections: boolean): Op => {
  const limiter = benchLimiter({
    client,
    algorithm: 'token-bucket',
    name,
    limit: 10,
    windowMs: 3_600_000,
    localRejections,
  });
  return async () => {
    if ((await limiter.consume('hot')).allowed && (await limiter.consume('hot')).allowed) {
      throw new Error('the over-limit key was admitted twice');
    }
  };
};
const localPath = overLimiter('over-local', true);
const redisPath = overLimiter('over-redis', false);
// Spend the quota first, so every measured decision is a rejection.
for (let i = 0; i < 12; i++) {
  await localPath(i).catch(() => undefined);
  await redisPath(i).catch(() => undefined);
}
console.log(`over-limit: 2 paths × ${settings.rounds} rounds`);
const overLimit = await compare([
  { name: 'local fast path', op: localPath },
  { name: 'Redis round trip', op: redisPath },
]);

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const rlf64 = decisions.get('rate-limiter-flexible RateLimiterRedis@64')!;
const rlfCost = rlf64.clientUs + rlf64.redisUs;
console.log(
  `\nDecisions/s, median of ${settings.rounds} interleaved rounds; ${settings.keys} keys; every decision admitted`,
);
console.log(
  '| contender | c=1 /s | c=64 /s | c=64 vs rlf | c=64 client CPU µs/decision | c=64 Redis CPU µs/decision | c=64 total CPU vs rlf |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const { name } of contenders) {
  const c1 = decisions.get(`${name}@1`)!;
  const c64 = decisions.get(`${name}@64`)!;
  console.log(
    `| ${name} | ${fmt(c1.rate)} | ${fmt(c64.rate)} | ${(c64.rate / rlf64.rate).toFixed(2)}× | ${c64.clientUs.toFixed(2)} | ${c64.redisUs.toFixed(2)} | ${(rlfCost / (c64.clientUs + c64.redisUs)).toFixed(2)}× |`,
  );
}
console.log(
  "(total CPU vs rlf: rate-limiter-flexible's client + Redis CPU per decision ÷ this one's; > 1 is cheaper)",
);
console.log('\nOver-limit key (token bucket, limit spent): rejections/s, each op = 2 decisions counted as 2');
console.log('| path | c=1 | c=64 |');
console.log('|---|---:|---:|');
const over = (path: string, c: number): number => overLimit.get(`${path}@${c}`)!.rate * 2;
for (const path of ['local fast path', 'Redis round trip']) {
  console.log(`| ${path} | ${fmt(over(path, 1))} | ${fmt(over(path, 64))} |`);
}
console.log(
  `| local ÷ Redis | ${(over('local fast path', 1) / over('Redis round trip', 1)).toFixed(1)}× | ${(over('local fast path', 64) / over('Redis round trip', 64)).toFixed(1)}× |`,
);
console.log(
  `\nclient: rateLimitRedisOptions() (no offline queue, no auto-pipelining) unless named; node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
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
      loadAverage: loadavg(),
      settings,
      decisions: Object.fromEntries(decisions),
      overLimitRejectionsPerS: Object.fromEntries(
        [...overLimit].map(([id, sample]) => [id, sample.rate * 2]),
      ),
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${dir}rate-limit.json`);

client.disconnect();
pipelined.disconnect();
await server.close();
