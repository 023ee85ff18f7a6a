import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OpenMetricsContentType, RegistryContentType } from 'prom-client';
import { DURATION_BUCKETS_SECONDS, LABEL } from './names.ts';

/** A subscription or registration that can be undone. */
export interface Disposable {
  dispose(): void;
}

/** The two exposition formats `/metrics` can answer with. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** Options of {@link MetricsRegistry}. */
export interface MetricsRegistryOptions {
  /** The `service` label added to every series (the contract's `service`), e.g. `'order'`. */
  service: string;
  /**
   * Collect prom-client's default process and Node.js runtime metrics.
   * @default true
   */
  defaultMetrics?: boolean;
}

/** Shape shared by the get-or-create helpers. */
export interface MetricSpec<L extends string> {
  /** Metric name; take it from `METRIC` in `names.ts` for contract metrics. */
  name: string;
  /** One line saying what is counted and in which unit. */
  help: string;
  /** Label names; every value must come from a small closed set. */
  labelNames: readonly L[];
}

/** A histogram's spec; buckets default to the contract's, in seconds. */
export interface HistogramSpec<L extends string> extends MetricSpec<L> {
  /**
   * Upper bounds in seconds.
   * @default DURATION_BUCKETS_SECONDS
   */
  buckets?: readonly number[];
}

/** Sets one series of a scrape-time gauge. */
export type GaugeSetter<L extends string> = (labels: Record<L, string>, value: number) => void;

/** A source of scrape-time gauge values, called on every scrape. */
export type GaugeSource<L extends string> = (set: GaugeSetter<L>) => void | Promise<void>;

/** A gauge whose series are recomputed from its sources on every scrape. */
export interface CollectedGauge<L extends string> {
  /** Adds a source; disposing it removes the source and, from the next scrape on, its series. */
  add(source: GaugeSource<L>): Disposable;
}

type Kind = 'counter' | 'gauge' | 'histogram';

interface Entry {
  kind: Kind;
  labelNames: readonly string[];
  metric: Counter<string> | Gauge<string> | Histogram<string>;
  sources?: Set<GaugeSource<string>>;
}

const defaults = { defaultMetrics: true } as const;

/**
 * One service's metrics: its own prom-client registry (never the global one, so tests and
 * several apps in one process stay apart), the `service` label on every series, and
 * get-or-create helpers so every part of the package shares one instance per metric name.
 *
 * The registry is created as OpenMetrics (prom-client accepts exemplar-enabled metrics only
 * there) and {@link render} switches the format per scrape, so one set of data is exposed in
 * both formats. Always render through {@link render}: prom-client renames counters while it
 * writes OpenMetrics, and `render` serialises scrapes and undoes that renaming.
 */
export class MetricsRegistry {
  /** The `service` label value. */
  readonly service: string;
  /** The underlying prom-client registry, for metrics registered by hand. */
  readonly registry: Registry<OpenMetricsContentType>;
  readonly #entries = new Map<string, Entry>();
  #renderQueue: Promise<unknown> = Promise.resolve();

  constructor(options: MetricsRegistryOptions) {
    const merged = { ...defaults, ...options };
    if (typeof merged.service !== 'string' || merged.service.length === 0) {
      throw new RangeError(`service must be a non-empty string, got ${JSON.stringify(merged.service)}`);
    }
    this.service = merged.service;
    this.registry = new Registry<OpenMetricsContentType>();
    this.registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    this.registry.setDefaultLabels({ [LABEL.service]: merged.service });
    if (merged.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Returns the counter named `spec.name`, creating it on first use. */
  counter<L extends string>(spec: MetricSpec<L>): Counter<L> {
    return this.#getOrCreate(spec, 'counter', () => {
      return { metric: new Counter<L>({ ...this.#base(spec) }) };
    }).metric as Counter<L>;
  }

  /** Returns the gauge named `spec.name`, creating it on first use (values set by the caller). */
  gauge<L extends string>(spec: MetricSpec<L>): Gauge<L> {
    return this.#getOrCreate(spec, 'gauge', () => ({ metric: new Gauge<L>({ ...this.#base(spec) }) }))
      .metric as Gauge<L>;
  }

  /**
   * Returns the histogram named `spec.name`, creating it on first use. Exemplars are enabled:
   * observe through `observeWithTrace` so each bucket keeps the trace that last landed in it.
   */
  histogram<L extends string>(spec: HistogramSpec<L>): Histogram<L> {
    return this.#getOrCreate(spec, 'histogram', () => {
      const metric = new Histogram<L>({
        ...this.#base(spec),
        buckets: [...(spec.buckets ?? DURATION_BUCKETS_SECONDS)],
        enableExemplars: true,
      });
      acceptEveryObserveForm(metric);
      return { metric };
    }).metric as Histogram<L>;
  }

  /**
   * Returns the scrape-time gauge named `spec.name`. On every scrape all its series are cleared
   * and every source sets the current ones, so a disposed source leaves no stale series.
   */
  collectedGauge<L extends string>(spec: MetricSpec<L>): CollectedGauge<L> {
    const entry = this.#getOrCreate(spec, 'gauge', () => {
      const sources = new Set<GaugeSource<string>>();
      const gauge = new Gauge<L>({
        ...this.#base(spec),
        async collect() {
          this.reset();
          const set: GaugeSetter<L> = (labels, value) => this.set(labels as never, value);
          for (const source of sources) await source(set);
        },
      });
      return { metric: gauge, sources };
    });
    const sources = entry.sources;
    if (!sources) throw new TypeError(`${spec.name} is a plain gauge, not a collected gauge`);
    return {
      add(source) {
        const s = source as GaugeSource<string>;
        sources.add(s);
        return { dispose: () => void sources.delete(s) };
      },
    };
  }

  /**
   * Renders every metric in `format`. Prometheus text carries no exemplars; OpenMetrics carries
   * the exemplars of histogram buckets. Scrapes run one at a time.
   */
  render(format: ExpositionFormat): Promise<string> {
    const run = this.#renderQueue.then(() => this.#renderNow(format));
    this.#renderQueue = run.catch(() => undefined);
    return run;
  }

  /** The Content-Type header value of `format`. */
  static contentType(format: ExpositionFormat): RegistryContentType {
    return format === 'openmetrics' ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE;
  }

  async #renderNow(format: ExpositionFormat): Promise<string> {
    // prom-client writes NaN as `Nan`; both formats spell it `NaN`.
    return (await this.#renderRaw(format)).replace(/ Nan$/gm, ' NaN');
  }

  async #renderRaw(format: ExpositionFormat): Promise<string> {
    const registry = this.registry as unknown as Registry<RegistryContentType>;
    if (format === 'prometheus') {
      registry.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);
      try {
        return await registry.metrics();
      } finally {
        registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
      }
    }
    // prom-client strips `_total` from counter names in place while writing OpenMetrics.
    const names = registry
      .getMetricsAsArray()
      .map((metric) => [metric as unknown as { name: string }, metric.name] as const);
    try {
      return await registry.metrics();
    } finally {
      for (const [metric, name] of names) metric.name = name;
    }
  }

  #base<L extends string>(spec: MetricSpec<L>) {
    return {
      name: spec.name,
      help: spec.help,
      labelNames: [...spec.labelNames],
      registers: [this.registry],
    };
  }

  #getOrCreate(spec: MetricSpec<string>, kind: Kind, create: () => Pick<Entry, 'metric' | 'sources'>): Entry {
    const existing = this.#entries.get(spec.name);
    if (existing) {
      const sameLabels =
        existing.labelNames.length === spec.labelNames.length &&
        existing.labelNames.every((label, i) => label === spec.labelNames[i]);
      if (existing.kind !== kind || !sameLabels) {
        throw new TypeError(
          `metric ${spec.name} already exists as a ${existing.kind} with labels [${existing.labelNames.join(', ')}], ` +
            `asked for a ${kind} with labels [${spec.labelNames.join(', ')}]`,
        );
      }
      return existing;
    }
    const made = create();
    const entry: Entry = { kind, labelNames: [...spec.labelNames], ...made };
    this.#entries.set(spec.name, entry);
    return entry;
  }
}

/**
 * With exemplars enabled, prom-client's `observe` accepts only the object form
 * (`{ labels, value, exemplarLabels }`) and throws on `observe(labels, value)` or
 * `observe(value)`, which its types still allow. Restore both plain forms (without exemplar).
 */
function acceptEveryObserveForm(histogram: Histogram<string>): void {
  const withExemplar = histogram.observe.bind(histogram) as (data: object) => void;
  histogram.observe = (first: unknown, second?: unknown) => {
    if (typeof first === 'number') return withExemplar({ value: first });
    if (typeof second === 'number') return withExemplar({ labels: first, value: second });
    return withExemplar(first as object);
  };
}
