/** The labels of one series, by label name. */
export type SeriesLabels<L extends string> = Record<L, string>;

/** An exemplar as prom-client renders it: its labels, the observed value, seconds since the epoch. */
interface Exemplar {
  labelSet: Record<string, string>;
  value: number;
  timestamp: number;
}

/** One value line of a metric, in the shape prom-client's registry renders. */
interface ValuePair {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
  exemplar: Exemplar | null | undefined;
}

/** Options of {@link SeriesHistogram}. */
export interface SeriesHistogramOptions<L extends string> {
  /** Metric name. */
  name: string;
  /** One line saying what is measured and in which unit. */
  help: string;
  /** Label names; every value must come from a small closed set. */
  labelNames: readonly L[];
  /** Upper bounds of the buckets, ascending (the `+Inf` bucket is implicit). */
  buckets: readonly number[];
}

/**
 * One series of a {@link SeriesHistogram}, bound to its labels once: observing costs a bucket
 * search and three additions, with no label hashing or validation per call.
 */
export class HistogramSeries {
  /** The series' labels (shared by every line of the series). */
  readonly labels: Readonly<Record<string, string>>;
  /** @internal per bucket (the last one is `+Inf`), not cumulative. */
  readonly counts: Float64Array;
  /** @internal per bucket, the latest exemplar. */
  readonly exemplars: (Exemplar | undefined)[];
  /** @internal */
  sum = 0;
  /** @internal 0 until the first observation after creation or `reset()`. */
  count = 0;
  readonly #bounds: readonly number[];

  /** @internal use {@link SeriesHistogram.series}. */
  constructor(labels: Record<string, string>, bounds: readonly number[]) {
    this.labels = labels;
    this.#bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
    this.exemplars = new Array<Exemplar | undefined>(bounds.length + 1).fill(undefined);
  }

  /**
   * Counts `value` (a finite number) and returns the index of its bucket (`value <= bound`, as
   * in Prometheus; values above the last bound land in `+Inf`, the last index).
   */
  observe(value: number): number {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    const bounds = this.#bounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]!) index++;
    this.counts[index]! += 1;
    this.sum += value;
    this.count += 1;
    return index;
  }

  /**
   * Keeps `labelSet` (e.g. `trace_id`, `span_id`) as the exemplar of bucket `index` for the
   * observed `value`, stamped now. Exemplars are rendered in OpenMetrics only. The labels'
   * names and values together must stay within 128 characters (OpenMetrics).
   */
  exemplar(index: number, labelSet: Record<string, string>, value: number): void {
    let length = 0;
    for (const name in labelSet) length += name.length + labelSet[name]!.length;
    if (length > 128) throw new RangeError('Label set size must be smaller than 128 UTF-8 chars');
    this.exemplars[index] = { labelSet, value, timestamp: Date.now() / 1000 };
  }
}

/**
 * A histogram whose series are bound to their labels once (`series(labels)`), for the hottest
 * observation in the package: `http_server_request_duration_seconds`, observed on every
 * request. prom-client's `Histogram.observe(labels, value)` validates and hashes the labels,
 * builds a closure and looks the series up by string on every call, ≈5 µs per request on this
 * machine (see the README's cost section); a bound series needs none of it.
 *
 * It goes into a prom-client `Registry` like a prom-client metric (`MetricsRegistry` does
 * `registry.registerMetric(histogram)`; prom-client's types want a cast) and renders
 * exactly what a prom-client `Histogram` with exemplars would for the same observations, in
 * both formats (a test compares the two byte for byte): cumulative `_bucket` lines with `le`
 * first, `+Inf`, `_sum`, `_count`, the registry's default labels, and the exemplars in
 * OpenMetrics. `reset()` removes every series from the output until it is observed again.
 */
export class SeriesHistogram<L extends string = string> {
  /** Metric name. */
  readonly name: string;
  /** Help text. */
  readonly help: string;
  /** Always `histogram`. */
  readonly type = 'histogram';
  /** How prom-client's cluster aggregation would merge it. */
  readonly aggregator = 'sum';
  /** Label names. */
  readonly labelNames: readonly L[];
  readonly #bounds: readonly number[];
  readonly #series = new Map<string, HistogramSeries>();

  constructor(options: SeriesHistogramOptions<L>) {
    const bounds = [...options.buckets];
    if (bounds.length === 0 || bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= bounds[i - 1]!))) {
      throw new RangeError(`buckets must be finite and ascending, got [${bounds.join(', ')}]`);
    }
    if (options.labelNames.includes('le' as L)) throw new Error('le is a reserved label keyword');
    this.name = options.name;
    this.help = options.help;
    this.labelNames = [...options.labelNames];
    this.#bounds = bounds;
  }

  /**
   * The series of `labels` (exactly the histogram's label names, string values), created on
   * first use. Keep it: that is what makes observing cheap.
   */
  series(labels: SeriesLabels<L>): HistogramSeries {
    const names = Object.keys(labels);
    if (names.length !== this.labelNames.length || !this.labelNames.every((name) => names.includes(name))) {
      throw new Error(
        `labels [${names.join(', ')}] of ${this.name} must be exactly [${this.labelNames.join(', ')}]`,
      );
    }
    let key = '';
    for (const name of this.labelNames) {
      const value = labels[name];
      if (typeof value !== 'string') throw new TypeError(`label ${name} of ${this.name} must be a string`);
      key += `${value.length}:${value}|`;
    }
    let series = this.#series.get(key);
    if (series === undefined) {
      const ordered: Record<string, string> = {};
      for (const name of names) ordered[name] = labels[name as L];
      this.#series.set(key, (series = new HistogramSeries(ordered, this.#bounds)));
    }
    return series;
  }

  /** Observes `value` in the series of `labels` (the unbound, slower way). */
  observe(labels: SeriesLabels<L>, value: number): void {
    this.series(labels).observe(value);
  }

  /** Forgets every observation; series drop out of the output until observed again. */
  reset(): void {
    for (const series of this.#series.values()) {
      series.counts.fill(0);
      series.exemplars.fill(undefined);
      series.sum = 0;
      series.count = 0;
    }
  }

  /** @internal what prom-client's registry renders: labels of each line apart from the series'. */
  getForPromString(): { name: string; help: string; type: string; values: ValuePair[]; aggregator: string } {
    const bucketName = `${this.name}_bucket`;
    const values: ValuePair[] = [];
    for (const series of this.#series.values()) {
      if (series.count === 0) continue;
      const shared = series.labels as Record<string, string>;
      let cumulative = 0;
      for (let i = 0; i < this.#bounds.length; i++) {
        cumulative += series.counts[i]!;
        values.push({
          labels: { le: this.#bounds[i]! },
          sharedLabels: shared,
          value: cumulative,
          metricName: bucketName,
          exemplar: series.exemplars[i] ?? null,
        });
      }
      values.push(
        {
          labels: { le: '+Inf' },
          sharedLabels: shared,
          value: series.count,
          metricName: bucketName,
          exemplar: series.exemplars[this.#bounds.length],
        },
        {
          labels: {},
          sharedLabels: shared,
          value: series.sum,
          metricName: `${this.name}_sum`,
          exemplar: undefined,
        },
        {
          labels: {},
          sharedLabels: shared,
          value: series.count,
          metricName: `${this.name}_count`,
          exemplar: undefined,
        },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The metric as prom-client's `get()` returns it (for `Registry#getMetricsAsJSON`). */
  get(): Promise<{ name: string; help: string; type: string; values: object[]; aggregator: string }> {
    const data = this.getForPromString();
    const values = data.values.map(({ labels, sharedLabels, ...rest }) => ({
      ...rest,
      labels: { ...labels, ...sharedLabels },
    }));
    return Promise.resolve({ ...data, values });
  }
}
