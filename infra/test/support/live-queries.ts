/**
 * Evaluates the dashboards' and rules' expressions against a live Prometheus and keeps track
 * of when each one first returned data.
 */
import { instantQuery } from './prometheus-api.ts';
import type { Sample } from './prometheus-api.ts';

/** An expression to evaluate, with a name to report it by. */
export interface NamedQuery {
  /** `dashboard / panel / refId` or `rule <name>`. */
  name: string;
  /** Ready-to-run PromQL (Grafana variables already substituted). */
  expr: string;
}

/** What one evaluation returned. */
export interface Evaluation {
  query: NamedQuery;
  samples: Sample[];
  /** The query failed (bad PromQL, Prometheus error). */
  error?: string;
}

/**
 * Whether an answer is data a panel would draw: at least one series with a finite value
 * (`NaN` from 0/0 or a histogram quantile without observations draws nothing).
 */
export function hasData(evaluation: Evaluation): boolean {
  return (
    evaluation.error === undefined &&
    evaluation.samples.some((sample) => Number.isFinite(Number(sample.value[1])))
  );
}

/** Evaluates every query now, at most `concurrency` at a time (a 2-core machine). */
export async function evaluateAll(
  base: string,
  queries: readonly NamedQuery[],
  concurrency = 4,
): Promise<Evaluation[]> {
  const results: Evaluation[] = new Array<Evaluation>(queries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queries.length) {
      const index = next++;
      const query = queries[index]!;
      try {
        results[index] = { query, samples: await instantQuery(base, query.expr) };
      } catch (error) {
        results[index] = { query, samples: [], error: String(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

/** One line per query without data, for an assertion message that lists every failure. */
export function describeMissing(evaluations: readonly Evaluation[]): string[] {
  return evaluations
    .filter((evaluation) => !hasData(evaluation))
    .map(
      (evaluation) =>
        `${evaluation.query.name}: ${evaluation.error ?? (evaluation.samples.length === 0 ? 'no series' : 'only NaN')}\n    ${evaluation.query.expr.replace(/\s+/g, ' ')}`,
    );
}

/**
 * Remembers, per query name, the first time (ms after `startedAt`) an evaluation returned
 * data: how long after the traffic started each panel filled.
 */
export class FillTimes {
  readonly #startedAt: number;
  readonly #first = new Map<string, number>();

  constructor(startedAt: number) {
    this.#startedAt = startedAt;
  }

  /** Records the queries of `evaluations` that have data now and had none before. */
  record(evaluations: readonly Evaluation[], now = Date.now()): void {
    for (const evaluation of evaluations) {
      if (hasData(evaluation) && !this.#first.has(evaluation.query.name)) {
        this.#first.set(evaluation.query.name, now - this.#startedAt);
      }
    }
  }

  /** When `name` first had data, in ms after the start; undefined if never. */
  of(name: string): number | undefined {
    return this.#first.get(name);
  }

  /** The earliest and latest fill time over `names` (undefined when one never filled). */
  range(names: readonly string[]): { first: number; last: number } | undefined {
    const times = names.map((name) => this.#first.get(name));
    if (times.some((time) => time === undefined) || times.length === 0) return undefined;
    const defined = times as number[];
    return { first: Math.min(...defined), last: Math.max(...defined) };
  }
}
