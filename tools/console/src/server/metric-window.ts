import type { Sample as MetricSample } from '@shipshape/scenarios';

/** One replica's samples from one scrape; undefined when the scrape failed. */
export type ReplicaSamples = ReadonlyMap<string, readonly MetricSample[] | undefined>;

/** A filter on a sample's labels. */
export type LabelFilter = (labels: Readonly<Record<string, string>>) => boolean;

const all: LabelFilter = () => true;

function seriesKey(sample: MetricSample): string {
  const labels = Object.entries(sample.labels)
    .filter(([k]) => k !== 'le')
    .sort(([a], [b]) => a.localeCompare(b));
  return `${sample.name}${JSON.stringify(labels)}${sample.labels['le'] ?? ''}`;
}

/**
 * Increase of the counter series named `name` that pass `filter`, summed over the replicas
 * scraped both times, between two scrapes. A series that went down (a restarted replica)
 * counts its whole new value, as Prometheus' `increase()` does.
 * @returns null when no replica reports a matching series in the newer scrape
 */
export function counterIncrease(
  older: ReplicaSamples,
  newer: ReplicaSamples,
  name: string,
  filter: LabelFilter = all,
): number | null {
  let found = false;
  let total = 0;
  for (const [replica, samples] of newer) {
    const before = older.get(replica);
    if (!samples) continue;
    const previous = new Map<string, number>();
    for (const s of before ?? []) if (s.name === name) previous.set(seriesKey(s), s.value);
    for (const s of samples) {
      if (s.name !== name || !filter(s.labels)) continue;
      found = true;
      if (!before) continue; // no earlier scrape of this replica: nothing to compare with
      const old = previous.get(seriesKey(s)) ?? 0;
      total += s.value >= old ? s.value - old : s.value;
    }
  }
  return found ? total : null;
}

/**
 * The `q` quantile (0..1) of histogram `name` (its `_bucket` series) over the window between two
 * scrapes, summed over replicas, interpolated linearly inside the bucket as Prometheus'
 * `histogram_quantile` does. Values in the histogram's unit (seconds).
 * @returns null when nothing was observed in the window
 */
export function histogramQuantile(
  older: ReplicaSamples,
  newer: ReplicaSamples,
  name: string,
  q: number,
  filter: LabelFilter = all,
): number | null {
  const byBound = new Map<number, number>();
  for (const [replica, samples] of newer) {
    const before = older.get(replica);
    if (!samples || !before) continue;
    const previous = new Map<string, number>();
    for (const s of before) if (s.name === `${name}_bucket`) previous.set(seriesKey(s), s.value);
    for (const s of samples) {
      if (s.name !== `${name}_bucket` || !filter(s.labels)) continue;
      const le = Number(s.labels['le'] === '+Inf' ? Number.POSITIVE_INFINITY : s.labels['le']);
      const old = previous.get(seriesKey(s)) ?? 0;
      byBound.set(le, (byBound.get(le) ?? 0) + (s.value >= old ? s.value - old : s.value));
    }
  }
  const buckets = [...byBound].sort(([a], [b]) => a - b);
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (!Number.isFinite(bound)) return lowerBound; // in the +Inf bucket: the highest finite bound
      const inBucket = count - lowerCount;
      return inBucket <= 0 ? bound : lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

/** Current values of gauge `name` that pass `filter`, per replica. */
export function gaugeValues(
  newer: ReplicaSamples,
  name: string,
  filter: LabelFilter = all,
): { replica: string; sample: MetricSample }[] {
  const out: { replica: string; sample: MetricSample }[] = [];
  for (const [replica, samples] of newer)
    for (const s of samples ?? []) if (s.name === name && filter(s.labels)) out.push({ replica, sample: s });
  return out;
}
