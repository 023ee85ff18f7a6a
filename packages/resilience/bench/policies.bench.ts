// Per-call overhead of the policies over a bare `await fn()`, against cockatiel and opossum
// doing the same things, plus the heap cost of a circuit breaker. Every case runs the same
// sequential loop; rounds interleave the cases so drift (a busy machine, thermal) spreads over
// all of them, and each case reports the median round. Asserts nothing.
//
// Time is the main thread's CPU time (process.threadCpuUsage), not wall time: on a shared
// machine wall time also counts the time other processes held the core, which swamps
// differences of tens of ns. Main-thread GC work is included. Wall time is reported beside it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as cockatiel from 'cockatiel';
import OpossumBreaker from 'opossum';
import {
  AimdLimit,
  Bulkhead,
  CircuitBreaker,
  ConcurrencyLimiter,
  Fallback,
  Retry,
  Timeout,
  wrap,
} from '../src/policies/index.ts';

const iterations = Number(process.env.BENCH_ITERATIONS ?? 300_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
// The brief's reference function: a real async function, so every case pays one promise.
// eslint-disable-next-line @typescript-eslint/require-await
const fn = async (): Promise<number> => 1;

type Run = () => Promise<unknown>;
interface Case {
  readonly name: string;
  readonly library: 'none' | 'shipshape' | 'cockatiel' | 'opossum';
  readonly kind: string;
  readonly run: Run;
}

const opossumPlain = new OpossumBreaker(fn, { timeout: false });
const opossumTimeout = new OpossumBreaker(fn, { timeout: 10_000 });

const ckBreaker = cockatiel.circuitBreaker(cockatiel.handleAll, {
  breaker: new cockatiel.ConsecutiveBreaker(5),
  halfOpenAfter: 10_000,
});
const ckRetry = cockatiel.retry(cockatiel.handleAll, { maxAttempts: 3 });
const ckTimeout = cockatiel.timeout(10_000, cockatiel.TimeoutStrategy.Cooperative);
const ckBulkhead = cockatiel.bulkhead(100, 0);
const ckPipeline = cockatiel.wrap(
  cockatiel.retry(cockatiel.handleAll, { maxAttempts: 3 }),
  cockatiel.circuitBreaker(cockatiel.handleAll, {
    breaker: new cockatiel.ConsecutiveBreaker(5),
    halfOpenAfter: 10_000,
  }),
  cockatiel.timeout(10_000, cockatiel.TimeoutStrategy.Cooperative),
);

const ssBreaker = new CircuitBreaker({ consecutiveFailures: 5, openDurationMs: 10_000 });
const ssRetry = new Retry({ maxAttempts: 3 });
const ssTimeout = new Timeout({ timeoutMs: 10_000 });
const ssBulkhead = new Bulkhead({ maxConcurrent: 100 });
// The adaptive limit does per call what the bulkhead does plus a clock read, a latency sample
// and the algorithm's update. cockatiel and opossum have no adaptive limit to compare with.
const ssGradient2 = new ConcurrencyLimiter({ algorithm: 'gradient2' });
const ssAimd = new ConcurrencyLimiter({ algorithm: new AimdLimit() });
const ssPipeline = wrap(
  new Retry({ maxAttempts: 3 }),
  new CircuitBreaker({ consecutiveFailures: 5, openDurationMs: 10_000 }),
  new Timeout({ timeoutMs: 10_000 }),
);
const ssFull = wrap(
  new Fallback({ fallback: 0 }),
  new Bulkhead({ maxConcurrent: 100 }),
  new Timeout({ timeoutMs: 10_000, name: 'total' }),
  new Retry({ maxAttempts: 3 }),
  new CircuitBreaker({ consecutiveFailures: 5, openDurationMs: 10_000 }),
  new Timeout({ timeoutMs: 1_000, name: 'per-try' }),
);

const cases: Case[] = [
  { name: 'bare await fn()', library: 'none', kind: 'bare', run: fn },
  { name: 'shipshape breaker', library: 'shipshape', kind: 'breaker', run: () => ssBreaker.execute(fn) },
  { name: 'cockatiel breaker', library: 'cockatiel', kind: 'breaker', run: () => ckBreaker.execute(fn) },
  { name: 'opossum breaker', library: 'opossum', kind: 'breaker', run: () => opossumPlain.fire() },
  { name: 'shipshape retry', library: 'shipshape', kind: 'retry', run: () => ssRetry.execute(fn) },
  { name: 'cockatiel retry', library: 'cockatiel', kind: 'retry', run: () => ckRetry.execute(fn) },
  { name: 'shipshape timeout', library: 'shipshape', kind: 'timeout', run: () => ssTimeout.execute(fn) },
  { name: 'cockatiel timeout', library: 'cockatiel', kind: 'timeout', run: () => ckTimeout.execute(fn) },
  {
    name: 'opossum breaker+timeout',
    library: 'opossum',
    kind: 'breaker+timeout',
    run: () => opossumTimeout.fire(),
  },
  { name: 'shipshape bulkhead', library: 'shipshape', kind: 'bulkhead', run: () => ssBulkhead.execute(fn) },
  { name: 'cockatiel bulkhead', library: 'cockatiel', kind: 'bulkhead', run: () => ckBulkhead.execute(fn) },
  {
    name: 'shipshape concurrency limit (gradient2)',
    library: 'shipshape',
    kind: 'concurrency-limit',
    run: () => ssGradient2.execute(fn),
  },
  {
    name: 'shipshape concurrency limit (aimd)',
    library: 'shipshape',
    kind: 'concurrency-limit',
    run: () => ssAimd.execute(fn),
  },
  {
    name: 'shipshape wrap(retry, breaker, timeout)',
    library: 'shipshape',
    kind: 'pipeline',
    run: () => ssPipeline.execute(fn),
  },
  {
    name: 'cockatiel wrap(retry, breaker, timeout)',
    library: 'cockatiel',
    kind: 'pipeline',
    run: () => ckPipeline.execute(fn),
  },
  {
    name: 'shipshape full 6-policy pipeline',
    library: 'shipshape',
    kind: 'full',
    run: () => ssFull.execute(fn),
  },
];

async function loop(run: Run, n: number): Promise<{ cpu: number; wall: number }> {
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.threadCpuUsage();
  for (let i = 0; i < n; i++) await run();
  const cpu = process.threadCpuUsage(cpuStart);
  const wall = Number(process.hrtime.bigint() - wallStart);
  return { cpu: ((cpu.user + cpu.system) * 1000) / n, wall: wall / n };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
const wallSamples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (const c of cases) await loop(c.run, Math.min(iterations, 100_000)); // warm-up: JIT every path
for (let round = 0; round < rounds; round++) {
  for (const c of cases) {
    globalThis.gc?.();
    const { cpu, wall } = await loop(c.run, iterations);
    samples.get(c.name)!.push(cpu);
    wallSamples.get(c.name)!.push(wall);
  }
}
opossumPlain.shutdown();
opossumTimeout.shutdown();

const nsPerOp = new Map(cases.map((c) => [c.name, median(samples.get(c.name)!)]));
const bare = nsPerOp.get('bare await fn()')!;
const overhead = (name: string): number => nsPerOp.get(name)! - bare;
const ratio = (a: string, b: string): number => overhead(a) / overhead(b);

const rows = cases.map((c) => ({
  case: c.name,
  nsPerOp: round1(nsPerOp.get(c.name)!),
  overheadNs: round1(overhead(c.name)),
  wallNsPerOp: round1(median(wallSamples.get(c.name)!)),
}));

const targets = [
  {
    target: 'breaker overhead ≤ 0.5× cockatiel',
    ratio: ratio('shipshape breaker', 'cockatiel breaker'),
    limit: 0.5,
  },
  {
    target: 'breaker overhead ≤ 0.2× opossum',
    ratio: ratio('shipshape breaker', 'opossum breaker'),
    limit: 0.2,
  },
  {
    target: 'retry overhead vs cockatiel',
    ratio: ratio('shipshape retry', 'cockatiel retry'),
    limit: undefined,
  },
  {
    target: 'timeout overhead vs cockatiel',
    ratio: ratio('shipshape timeout', 'cockatiel timeout'),
    limit: undefined,
  },
  {
    target: 'bulkhead overhead vs cockatiel',
    ratio: ratio('shipshape bulkhead', 'cockatiel bulkhead'),
    limit: undefined,
  },
  {
    target: 'adaptive limit (gradient2) overhead vs shipshape bulkhead',
    ratio: ratio('shipshape concurrency limit (gradient2)', 'shipshape bulkhead'),
    limit: undefined,
  },
  {
    target: 'adaptive limit (aimd) overhead vs shipshape bulkhead',
    ratio: ratio('shipshape concurrency limit (aimd)', 'shipshape bulkhead'),
    limit: undefined,
  },
  {
    target: 'wrap(retry, breaker, timeout) ≤ 0.25× cockatiel',
    ratio: ratio('shipshape wrap(retry, breaker, timeout)', 'cockatiel wrap(retry, breaker, timeout)'),
    limit: 0.25,
  },
  {
    target: 'full 6-policy pipeline vs cockatiel 3-policy wrap',
    ratio: ratio('shipshape full 6-policy pipeline', 'cockatiel wrap(retry, breaker, timeout)'),
    limit: 0.25,
  },
].map((t) => ({
  ...t,
  ratio: Math.round(t.ratio * 1000) / 1000,
  met: t.limit === undefined ? null : t.ratio <= t.limit,
}));

const memory = [
  measureHeap('breaker, defaults (consecutive failures)', () => new CircuitBreaker()),
  measureHeap(
    'breaker, failure rate over 100-call count window',
    () => new CircuitBreaker({ failureRateThreshold: 0.5 }),
  ),
  measureHeap(
    'breaker, failure + slow rate over 10 s time window',
    () =>
      new CircuitBreaker({
        failureRateThreshold: 0.5,
        slowCallRateThreshold: 0.5,
        window: { kind: 'time', durationMs: 10_000 },
      }),
  ),
];

console.log(
  `node ${process.version}, ${iterations} sequential awaits per case and round, ${rounds} rounds, median round`,
);
console.table(rows);
console.table(targets);
console.table(memory);

const out = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(
  `${out}policies.json`,
  JSON.stringify(
    { node: process.version, iterations, rounds, bareNsPerOp: round1(bare), cases: rows, targets, memory },
    null,
    2,
  ),
);

function measureHeap(
  name: string,
  make: () => unknown,
): { case: string; bytesPerInstance: number; extraTimers: number } {
  const gc = globalThis.gc;
  if (gc === undefined)
    return { case: `${name} (run with --expose-gc)`, bytesPerInstance: Number.NaN, extraTimers: 0 };
  const count = 100_000;
  const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  gc();
  gc();
  const timersBefore = timers();
  const before = process.memoryUsage();
  const keep: unknown[] = new Array(count);
  for (let i = 0; i < count; i++) keep[i] = make();
  gc();
  gc();
  const after = process.memoryUsage();
  const bytes = (after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers)) / count;
  const extraTimers = timers() - timersBefore;
  keep.length = 0;
  return { case: name, bytesPerInstance: Math.round(bytes), extraTimers };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
