import type { ServiceName } from '@shipshape/stack';
import { increase, type MetricPoint, type MetricWatch } from './metric-sampler.ts';
import type { LabelMatchers } from '@shipshape/test-harness/exposition';

/** Bucket bounds (seconds, the contract's) a latency watch follows. */
export const watchedBucketsSeconds = ['0.1', '0.25', '0.5', '0.75', '1', '2.5'] as const;

/**
 * Watches of one histogram for {@link bucketQuantile}: its `_count` and the buckets of
 * {@link watchedBucketsSeconds}, keys `<key>Count` and `<key>Le<bound>`.
 */
export function histogramWatches(
  key: string,
  service: ServiceName,
  histogram: string,
  labels: LabelMatchers,
): MetricWatch[] {
  return [
    { key: `${key}Count`, service, metric: `${histogram}_count`, labels },
    ...watchedBucketsSeconds.map((le) => ({
      key: `${key}Le${le}`,
      service,
      metric: `${histogram}_bucket`,
      labels: { ...labels, le },
    })),
  ];
}

/** What a histogram saw over a window: observations, and the share within each watched bound. */
export interface BucketLatency {
  readonly count: number;
  /** Bound in ms → share of the window's observations at or below it. */
  readonly within: Readonly<Record<string, number>>;
  /** The smallest watched bound holding `q` of the observations, ms (upper bound of the quantile). */
  readonly quantileMs: number | undefined;
}

/**
 * The `q`-quantile (0..1) of a histogram over `[fromMs, toMs]`, as the smallest watched bucket
 * bound that holds it — an upper bound, like Prometheus' `histogram_quantile` without
 * interpolation. `undefined` figures mean nothing was observed.
 */
export function bucketQuantile(
  series: (key: string) => readonly MetricPoint[],
  key: string,
  fromMs: number,
  toMs: number,
  q: number,
): BucketLatency {
  const count = increase(series(`${key}Count`), fromMs, toMs) ?? 0;
  const within: Record<string, number> = {};
  let quantileMs: number | undefined;
  for (const le of watchedBucketsSeconds) {
    const inBucket = increase(series(`${key}Le${le}`), fromMs, toMs) ?? 0;
    const share = count > 0 ? inBucket / count : 0;
    const ms = Math.round(Number(le) * 1000);
    within[String(ms)] = Math.round(share * 10_000) / 10_000;
    if (quantileMs === undefined && count > 0 && share >= q) quantileMs = ms;
  }
  return { count, within, quantileMs };
}
