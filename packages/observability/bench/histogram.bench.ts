// Per-observation cost of the HTTP server duration histogram, the one observed on every
// request: prom-client's Histogram (labels object, as the metrics middleware used to call it;
// and a bound child from `labels()`), against this package's SeriesHistogram with its series
// bound once. Same label sets, values and exemplar rate (one exemplar per 1000 observations)
// in every case; rounds interleave the cases and each reports its median round. Time is the
// main thread's CPU time (process.threadCpuUsage). Prints a table with ratios, writes
// bench/results/histogram.json, asserts nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LabelValues } from 'prom-client';
import { MetricsRegistry } from '../src/metrics/metrics-registry.ts';
import { DURATION_BUCKETS_SECONDS } from '../src/metrics/names.ts';

const iterations = Number(process.env['BENCH_ITERATIONS'] ?? 500_000);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 7);
const spec = {
  name: 'http_server_request_duration_seconds',
  help: 'Duration of HTTP requests handled by the server, in seconds.',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: DURATION_BUCKETS_SECONDS,
};
type Labels = Record<(typeof spec.labelNames)[number], string>;
// Eight series, as a small service has (the middleware keeps one label object per series).
const labelSets: Labels[] = ['/orders', '/orders/:id', '/users/:id', 'unmatched'].flatMap((route) =>
  ['200', '404'].map((status_code) => ({ method: 'GET', route, status_code })),
);
// Request durations between 1 ms and 300 ms, spread over the buckets.
const values = Array.from({ length: 1024 }, (_, i) => 0.001 + ((i * 7919) % 300) / 1000);
const exemplar = { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' };

interface Case {
  name: string;
  run: (i: number) => void;
}

const promMetrics = new MetricsRegistry({ service: 'bench', defaultMetrics: false });
const promHistogram = promMetrics.histogram(spec);
const childMetrics = new MetricsRegistry({ service: 'bench', defaultMetrics: false });
const childHistogram = childMetrics.histogram(spec);
const children = labelSets.map((labels) => childHistogram.labels(labels));
const seriesMetrics = new MetricsRegistry({ service: 'bench', defaultMetrics: false });
const seriesHistogram = seriesMetrics.seriesHistogram(spec);
const bound = labelSets.map((labels) => seriesHistogram.series(labels));

const cases: Case[] = [
  {
    name: 'prom-client Histogram.observe({ labels, value })',
    run: (i) => {
      const labels = labelSets[i & 7]!;
      const value = values[i & 1023]!;
      if (i % 1000 === 0) {
        promHistogram.observe({ labels, value, exemplarLabels: exemplar as LabelValues<string> });
      } else promHistogram.observe({ labels, value });
    },
  },
  {
    // A bound child still validates and hashes its labels on every call; it has no exemplars.
    name: 'prom-client labels(...).observe(value), no exemplars',
    run: (i) => {
      children[i & 7]!.observe(values[i & 1023]!);
    },
  },
  {
    name: 'SeriesHistogram series.observe(value) (this package)',
    run: (i) => {
      const series = bound[i & 7]!;
      const value = values[i & 1023]!;
      const bucket = series.observe(value);
      if (i % 1000 === 0) series.exemplar(bucket, exemplar, value);
    },
  },
];

function timeCase(run: (i: number) => void): number {
  const before = process.threadCpuUsage();
  for (let i = 0; i < iterations; i++) run(i);
  const used = process.threadCpuUsage(before);
  return ((used.user + used.system) * 1000) / iterations;
}

const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (const c of cases) timeCase(c.run); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const c of cases) samples.get(c.name)!.push(timeCase(c.run));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ours = median(samples.get(cases[2]!.name)!);
const summary = cases.map((c) => {
  const ns = median(samples.get(c.name)!);
  return {
    case: c.name,
    'ns/observation (median)': Math.round(ns),
    'x this package': Number((ns / ours).toFixed(1)),
  };
});
console.log(`histogram observe, ${iterations} observations per round, ${rounds} rounds, main-thread CPU`);
console.table(summary);
// The three registries saw the same observations: their counts must agree.
const counts = await Promise.all(
  [promMetrics, childMetrics, seriesMetrics].map(async (m) =>
    (await m.render('prometheus'))
      .split('\n')
      .filter((line) => line.includes('_count{'))
      .join('\n'),
  ),
);
if (new Set(counts).size !== 1) throw new Error(`the histograms disagree:\n${counts.join('\n---\n')}`);
const outFile = fileURLToPath(new URL('./results/histogram.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(
  outFile,
  `${JSON.stringify({ date: new Date().toISOString(), iterations, rounds, summary }, null, 2)}\n`,
);
console.log(`wrote ${outFile}`);
