import type { ServiceName } from '@shipshape/stack';
import type { ScenarioEnvironment } from '../environment/environment.ts';
import { startPoller } from './poller.ts';
import {
  maxSample,
  parseExposition,
  sumSamples,
  type LabelMatchers,
  type Sample,
} from '@shipshape/test-harness/exposition';

/** One figure to follow during a run: the sum (or max) of matching series of one service. */
export interface MetricWatch {
  /** Name of the figure in the samples: `breakerOpen`. */
  readonly key: string;
  readonly service: ServiceName;
  /** Series name, e.g. `resilience_circuit_breaker_state`. */
  readonly metric: string;
  readonly labels?: LabelMatchers;
  /** How matching series of one replica combine. @default 'sum' */
  readonly reduce?: 'sum' | 'max';
}

/** One scrape of every watched replica, `tMs` after the load started. */
export interface MetricRound {
  readonly tMs: number;
  /** key → replica name (`order-0`) → value; a replica that did not answer is absent. */
  readonly values: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** A point of a figure summed over replicas. */
export interface MetricPoint {
  readonly tMs: number;
  readonly value: number;
}

/**
 * Scrapes `GET /metrics` of one replica (Prometheus text).
 * @throws on a non-200, a transport error or an exposition the reader does not understand
 */
export async function scrapeMetrics(url: string, timeoutMs = 5_000): Promise<Sample[]> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET ${url}/metrics answered ${response.status}`);
  return parseExposition(await response.text()).samples;
}

/** Replica names of a service in the environment's order: `order-0`, `order-1`, … */
export function replicaNames(environment: ScenarioEnvironment, service: ServiceName): string[] {
  return environment.urls(service).map((_, i) => `${service}-${i}`);
}

/**
 * Follows figures from the services' `/metrics` while a scenario runs: every `intervalMs` it
 * scrapes each replica of the watched services once and keeps only the watched figures.
 */
export class MetricSampler {
  readonly #rounds: MetricRound[] = [];
  readonly #watches: readonly MetricWatch[];
  readonly #environment: ScenarioEnvironment;
  readonly #elapsedMs: () => number;
  #poller: ReturnType<typeof startPoller> | undefined;

  constructor(environment: ScenarioEnvironment, watches: readonly MetricWatch[], elapsedMs: () => number) {
    this.#environment = environment;
    this.#watches = watches;
    this.#elapsedMs = elapsedMs;
  }

  /** Starts sampling (no-op without watches). */
  start(intervalMs: number): void {
    if (this.#watches.length === 0 || this.#poller) return;
    this.#poller = startPoller(intervalMs, () => this.sample());
  }

  /** Stops sampling. */
  async stop(): Promise<void> {
    await this.#poller?.stop();
    this.#poller = undefined;
  }

  /** Takes one round now (also used for a final reading after the load). */
  async sample(): Promise<void> {
    const tMs = this.#elapsedMs();
    const watched = [...new Set(this.#watches.map((w) => w.service))];
    const values: Record<string, Record<string, number>> = {};
    for (const watch of this.#watches) values[watch.key] = {};
    await Promise.all(
      watched.flatMap((service) =>
        this.#environment.urls(service).map(async (url, replica) => {
          let samples: Sample[];
          try {
            samples = await scrapeMetrics(url);
          } catch {
            return;
          }
          for (const watch of this.#watches) {
            if (watch.service !== service) continue;
            const value =
              watch.reduce === 'max'
                ? maxSample(samples, watch.metric, watch.labels)
                : sumSamples(samples, watch.metric, watch.labels);
            if (value !== undefined) values[watch.key]![`${service}-${replica}`] = value;
          }
        }),
      ),
    );
    this.#rounds.push({ tMs, values });
  }

  /** Every round so far. */
  get rounds(): readonly MetricRound[] {
    return this.#rounds;
  }

  /** The figure `key` summed over the replicas that answered, per round (rounds where none answered are left out). */
  series(key: string): MetricPoint[] {
    const points: MetricPoint[] = [];
    for (const round of this.#rounds) {
      const perReplica = Object.values(round.values[key] ?? {});
      if (perReplica.length > 0)
        points.push({ tMs: round.tMs, value: perReplica.reduce((a, b) => a + b, 0) });
    }
    return points;
  }

  /** The figure `key` of one replica per round. */
  replicaSeries(key: string, replica: string): MetricPoint[] {
    return this.#rounds.flatMap((round) => {
      const value = round.values[key]?.[replica];
      return value === undefined ? [] : [{ tMs: round.tMs, value }];
    });
  }
}

/** The first point at or after `fromMs` whose value satisfies `predicate`. */
export function firstPoint(
  points: readonly MetricPoint[],
  predicate: (value: number) => boolean,
  fromMs = Number.NEGATIVE_INFINITY,
): MetricPoint | undefined {
  return points.find((p) => p.tMs >= fromMs && predicate(p.value));
}

/** The largest value among points in [fromMs, toMs], or undefined when there is none. */
export function maxInWindow(
  points: readonly MetricPoint[],
  fromMs: number,
  toMs: number,
): number | undefined {
  let max: number | undefined;
  for (const p of points) if (p.tMs >= fromMs && p.tMs <= toMs) max = Math.max(max ?? -Infinity, p.value);
  return max;
}

/**
 * Increase of a counter between the last point at or before `fromMs` and the last point at or
 * before `toMs` (undefined without points on both sides). Not for counters of restarted processes.
 */
export function increase(points: readonly MetricPoint[], fromMs: number, toMs: number): number | undefined {
  const before = points.filter((p) => p.tMs <= fromMs).at(-1) ?? points.find((p) => p.tMs >= fromMs);
  const after = points.filter((p) => p.tMs <= toMs).at(-1);
  if (!before || !after || after.tMs < before.tMs) return undefined;
  return after.value - before.value;
}
