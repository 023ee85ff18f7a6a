/**
 * The few Prometheus HTTP API calls the live checks make, and the configuration they run
 * Prometheus with: the compose scrape jobs and rules (`renderLocalPrometheusConfig`) with static
 * targets on this machine and a short scrape and evaluation interval.
 */
import { join } from 'node:path';
import { renderLocalPrometheusConfig } from '../../src/prometheus-local-config.ts';
import type { PrometheusConfig, ServiceJob } from '../../src/prometheus-local-config.ts';
import { INFRA, readYaml } from './repo.ts';

/** One series of an instant-query answer. */
export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** One rule as `/api/v1/rules` reports it. */
export interface RuleStatus {
  name: string;
  type: 'recording' | 'alerting';
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  state?: string;
}

/** Options of {@link livePrometheusConfig}. */
export interface LiveConfigOptions {
  /** `host:port` targets per service job. */
  targets: Record<ServiceJob, string[]>;
  /** `host:port` of the load generator's /metrics (the `load` job). */
  loadTargets: string[];
  /**
   * Scrape and rule evaluation interval (Prometheus duration).
   * @default '1s'
   */
  interval?: string;
}

/**
 * The repository's compose configuration (infra/prometheus/prometheus.yml) with static targets,
 * the repository's rule files by absolute path, and `interval` as the scrape and evaluation
 * interval. The service and load job names and labels stay those of compose, so dashboard
 * selectors match; the `prometheus` self-scrape job is left out.
 */
export function livePrometheusConfig(options: LiveConfigOptions): PrometheusConfig {
  const compose = readYaml<PrometheusConfig>('infra/prometheus/prometheus.yml');
  const local = renderLocalPrometheusConfig(compose, {
    targets: options.targets,
    loadTargets: options.loadTargets,
    ruleFiles: [join(INFRA, 'prometheus', 'rules', '*.yml')],
  });
  const interval = options.interval ?? '1s';
  return {
    ...local,
    // Prometheus' own job scrapes localhost:9090, which on a test machine is not this server.
    scrape_configs: (local.scrape_configs ?? []).filter((scrape) => scrape.job_name !== 'prometheus'),
    global: {
      ...(local.global as Record<string, unknown>),
      scrape_interval: interval,
      // The timeout may not exceed the interval; a local scrape takes milliseconds.
      scrape_timeout: interval,
      evaluation_interval: interval,
    },
  };
}

async function api<T>(base: string, path: string): Promise<T> {
  const response = await fetch(`${base}${path}`);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? JSON.stringify(body)}`);
  return body.data;
}

/** Evaluates `expr` now (`/api/v1/query`) and returns the series of the vector answer. */
export async function instantQuery(base: string, expr: string): Promise<Sample[]> {
  const data = await api<{ resultType: string; result: Sample[] | [number, string] }>(
    base,
    `/api/v1/query?query=${encodeURIComponent(expr)}`,
  );
  if (data.resultType === 'scalar') {
    return [{ metric: {}, value: data.result as [number, string] }];
  }
  return data.result as Sample[];
}

/** The trace ids of the exemplars stored for the series `expr` selects between `start` and `end` (s). */
export async function exemplarTraceIds(
  base: string,
  expr: string,
  start: number,
  end: number,
): Promise<string[]> {
  const data = await api<{ exemplars: { labels: Record<string, string> }[] }[]>(
    base,
    `/api/v1/query_exemplars?query=${encodeURIComponent(expr)}&start=${start}&end=${end}`,
  );
  return data.flatMap((series) => series.exemplars.flatMap((exemplar) => exemplar.labels['trace_id'] ?? []));
}

/** Every rule Prometheus loaded, with its health and last evaluation error. */
export async function ruleStatuses(base: string): Promise<RuleStatus[]> {
  const data = await api<{ groups: { rules: RuleStatus[] }[] }>(base, '/api/v1/rules');
  return data.groups.flatMap((group) => group.rules);
}

/** The health of every scrape target, by job. */
export async function targetHealth(base: string): Promise<{ job: string; health: string; url: string }[]> {
  const data = await api<{
    activeTargets: { labels: { job: string }; health: string; scrapeUrl: string }[];
  }>(base, '/api/v1/targets?state=active');
  return data.activeTargets.map((target) => ({
    job: target.labels.job,
    health: target.health,
    url: target.scrapeUrl,
  }));
}
