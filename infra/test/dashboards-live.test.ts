/**
 * The dashboards and rules against the real system: the three services (`@shipshape/stack`,
 * real child processes) on a private Redis, the load generator (`@shipshape/load`, with its
 * own /metrics), and the machine's real Prometheus running the repository's scrape jobs and
 * rule files with static targets and a 1 s scrape and evaluation interval. Traffic includes
 * the faults the dashboards exist for — payment failures that open the payment breaker and
 * fill the dead-letter queue, user-service failures that open the user breaker and make
 * POST /orders answer 503, and an inbound rate limit that answers 429 — and then EVERY panel
 * query and EVERY recording rule is evaluated through the HTTP API and must return data.
 * Every metric a dashboard or rule names must exist in some process's /metrics.
 */
import { startStack } from '@shipshape/stack';
import type { ServiceName, Stack } from '@shipshape/stack';
import { skipWithoutTool, startPrometheus, waitFor } from '@shipshape/test-harness';
import type { PrometheusServer } from '@shipshape/test-harness';
import { parseExposition, sampleNames } from '@shipshape/test-harness/exposition';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { dashboardQueries, ruleDefinitions, substituteVariables } from './support/dashboard-queries.ts';
import { createLoadRun } from './support/live-load.ts';
import type { LoadRun } from './support/live-load.ts';
import { startOtlpSink } from './support/otlp-sink.ts';
import type { OtlpSink } from './support/otlp-sink.ts';
import { FillTimes, describeMissing, evaluateAll, hasData } from './support/live-queries.ts';
import type { NamedQuery } from './support/live-queries.ts';
import { metricNamesIn } from './support/metric-names.ts';
import {
  exemplarTraceIds,
  instantQuery,
  livePrometheusConfig,
  ruleStatuses,
  targetHealth,
} from './support/prometheus-api.ts';

const SERVICES: readonly ServiceName[] = ['user', 'order', 'payment'];
/** Scrape and rule evaluation interval: compose uses 5 s; 1 s keeps the test short. */
const INTERVAL = '1s';

/** Panels that only move when something fails; every other panel must fill from plain traffic. */
const FAULT_ONLY_PANELS = new Set([
  'Breaker transitions', // no state change without a failing dependency
  'Retries by reason', // nothing is retried while every call succeeds
]);

/**
 * Exemplar panels allowed to show no dots. None: the order worker observes the queue histograms
 * inside each job's CONSUMER span, so they carry the order's trace id too. The exemplar check
 * fails when any exemplar panel has no dots.
 */
const KNOWN_WITHOUT_EXEMPLARS: string[] = [];

const panelQueries: NamedQuery[] = dashboardQueries().map((query) => ({
  name: `${query.dashboard} / ${query.panel} / ${query.refId}`,
  expr: substituteVariables(query.expr),
}));
const rules = ruleDefinitions();
const ruleQueries: NamedQuery[] = rules.flatMap((rule) =>
  rule.record === undefined ? [] : [{ name: `rule ${rule.record}`, expr: rule.record }],
);
const baselineQueries = panelQueries.filter(
  (query) => !FAULT_ONLY_PANELS.has(query.name.split(' / ')[1] ?? ''),
);

// Needs the prometheus binary: skipped with a reason on a machine without it, never in CI.
const noPrometheus = skipWithoutTool('prometheus', 'apt-get install prometheus');
const redis = useRedisServer();

let sink: OtlpSink | undefined;
let stack: Stack | undefined;
let load: LoadRun | undefined;
let prometheus: PrometheusServer | undefined;
let base = '';
let fills: FillTimes | undefined;
const timeline: string[] = [];

const hostPort = (url: string): string => new URL(url).host;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  if (noPrometheus) return;
  // Tracing on, exported to a local OTLP receiver: exemplars carry trace ids only when the
  // services trace, and the receiver proves the trace behind an exemplar was exported.
  sink = await startOtlpSink();
  stack = await startStack({
    redisUrl: redis.url,
    telemetry: true,
    // The contract default (100 requests a minute per client) would reject the load itself:
    // every request comes from 127.0.0.1. The 429 phase lowers one service's limit at runtime.
    env: {
      RATE_LIMIT__LIMIT: '1000000',
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_BSP_SCHEDULE_DELAY: '500',
    },
    serviceEnv: {
      // Few, quick payment attempts: failing jobs reach the dead-letter queue within a second.
      // Hedging and the adaptive limit on, so their panels have series: with one payment
      // replica every due hedge is skipped (no_endpoint), which the hedging panel shows.
      order: {
        WORKER__ATTEMPTS: '2',
        WORKER__BACKOFF_MS: '100',
        WORKER__BACKOFF_MAX_MS: '200',
        PAYMENT_CLIENT__HEDGING__ENABLED: 'true',
        PAYMENT_CLIENT__CONCURRENCY_LIMIT__ENABLED: 'true',
      },
    },
  });
  load = await createLoadRun(stack, { rate: 20, maxDurationMs: 150_000 });
  const config = livePrometheusConfig({
    targets: {
      user: stack.urls('user').map(hostPort),
      order: stack.urls('order').map(hostPort),
      payment: stack.urls('payment').map(hostPort),
    },
    loadTargets: [hostPort(load.metricsUrl)],
    interval: INTERVAL,
  });
  prometheus = await startPrometheus({
    configYaml: stringify(config),
    args: ['--enable-feature=exemplar-storage'],
  });
  base = prometheus.url;
  // Discovery hands Prometheus its targets about 5 s after start; wait until all are scraped.
  await waitFor(
    'every scrape job up',
    async () => {
      const targets = await targetHealth(base);
      const up = new Set(targets.filter((target) => target.health === 'up').map((target) => target.job));
      return (
        targets.every((target) => target.health === 'up') && [...SERVICES, 'load'].every((job) => up.has(job))
      );
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );

  // Plain traffic, as on a running compose system with Prometheus already scraping, until every
  // panel that needs no fault has data; each panel's fill time is kept.
  fills = new FillTimes(load.start());
  await waitFor(
    'the dashboards to fill from plain traffic',
    async () => {
      const evaluations = await evaluateAll(base, baselineQueries);
      fills!.record(evaluations);
      return evaluations.every(hasData);
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  ).catch(async (error: unknown) => {
    const missing = describeMissing(await evaluateAll(base, baselineQueries));
    throw new Error(`${String(error)}\n${missing.join('\n')}`, { cause: error });
  });
  const range = fills.range(baselineQueries.map((query) => query.name))!;
  timeline.push(
    `first panel data ${(range.first / 1000).toFixed(1)} s, every plain-traffic panel ${(range.last / 1000).toFixed(1)} s after the traffic started (${INTERVAL} scrape and evaluation)`,
  );

  // Faults, one after another so each has its own effect; each is undone by setting the
  // normal value back (an override equal to the default).
  await stack.setChaos('payment', { 'chaos.errorRate': 1 }); // payment breaker opens, jobs dead-letter
  await sleep(6_000);
  await stack.setChaos('payment', { 'chaos.errorRate': 0 });
  await stack.setChaos('user', { 'chaos.errorRate': 1 }); // user breaker opens, POST /orders 503
  await sleep(6_000);
  await stack.setChaos('user', { 'chaos.errorRate': 0 });
  // 429 rate_limited on the order API: the load's order requests and a burst of reads.
  await stack.setChaos('order', { 'rateLimit.limit': 1 });
  for (let i = 0; i < 10; i += 1)
    await fetch(`${stack.url('order')}/orders/unknown-${i}`).then((r) => r.text());
  await sleep(2_000);
  await stack.setChaos('order', { 'rateLimit.limit': 1_000_000 });
}, 180_000);

afterAll(async () => {
  const result = await load?.stop();
  if (result !== undefined) timeline.push(`load answers ${JSON.stringify(result.statuses)}`);
  await prometheus?.close();
  await stack?.stop();
  await sink?.close();
  if (timeline.length > 0) console.info(`[dashboards-live] ${timeline.join('; ')}`);
}, 60_000);

describe.skipIf(noPrometheus)('the dashboards on a real Prometheus scraping the real system', () => {
  it('evaluates every panel query and every recording rule to data', async () => {
    const queries = [...panelQueries, ...ruleQueries];
    let evaluations = await evaluateAll(base, queries);
    // Series born in the fault phases need a scrape and a rule evaluation or two.
    await waitFor(
      'every query to have data',
      async () => {
        evaluations = await evaluateAll(base, queries);
        return evaluations.every(hasData);
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    ).catch(() => undefined);
    expect(describeMissing(evaluations), 'queries without data').toEqual([]);
    expect(panelQueries.length).toBeGreaterThan(40);
    expect(ruleQueries.length).toBe(rules.filter((rule) => rule.record !== undefined).length);
  }, 40_000);

  it('evaluates every rule, alerts included, without an error', async () => {
    const statuses = await ruleStatuses(base);
    expect(statuses).toHaveLength(rules.length);
    const broken = statuses.filter((rule) => rule.health !== 'ok');
    expect(broken.map((rule) => `${rule.name}: ${rule.health} ${rule.lastError ?? ''}`)).toEqual([]);
  });

  it('shows the faults: a breaker open, 5xx on POST /orders, 429s and dead letters', async () => {
    const shown = async (expr: string): Promise<boolean> =>
      (await instantQuery(base, expr)).some((sample) => Number(sample.value[1]) > 0);
    const breakerPanel = panelQueries.find((query) => query.name.includes('Circuit breaker state'))!;
    const checks: Record<string, string> = {
      // The Resilience state timeline drew "open" (2) for both of the order service's breakers.
      'the user and payment breakers drawn open': `count(max_over_time((${breakerPanel.expr})[5m:1s]) == 2) >= 2`,
      'POST /orders 5xx in the SLI': 'max_over_time(slo:orders_create_errors:ratio_rate5m[5m:1s])',
      'retries made': 'sum(increase(resilience_retries_total[5m]))',
      '429 answers': 'sum(increase(http_server_request_duration_seconds_count{status_code="429"}[5m]))',
      'limiter rejections': 'sum(increase(resilience_rate_limit_decisions_total{decision="rejected"}[5m]))',
      'dead letters': 'max_over_time(max(queue_jobs{state="dead_letter"})[5m:1s])',
      'load generator traffic on the Overview':
        'sum(rate(http_client_request_duration_seconds_count{service="load"}[1m]))',
    };
    const missing: string[] = [];
    for (const [what, expr] of Object.entries(checks)) if (!(await shown(expr))) missing.push(what);
    expect(missing, 'faults the dashboards did not show').toEqual([]);
  });

  it('stores exemplars for every panel that shows them, each linking to an exported trace', async () => {
    const now = Date.now() / 1000;
    const without: string[] = [];
    const unlinked: string[] = [];
    let linked = 0;
    for (const query of dashboardQueries().filter((candidate) => candidate.exemplar)) {
      const name = `${query.dashboard} / ${query.panel}`;
      const traceIds = await exemplarTraceIds(base, substituteVariables(query.expr), now - 600, now + 60);
      if (traceIds.length === 0) without.push(name);
      else if (traceIds.some((id) => sink!.traceIds.has(id))) linked += 1;
      else unlinked.push(`${name}: none of ${traceIds.length} exemplar trace ids was exported`);
    }
    expect(unlinked).toEqual([]);
    expect(without.sort(), 'exemplar panels without dots (see KNOWN_WITHOUT_EXEMPLARS)').toEqual(
      KNOWN_WITHOUT_EXEMPLARS,
    );
    expect(linked).toBeGreaterThanOrEqual(2);
  });

  it('finds every metric the dashboards and rules name in a /metrics of the system', async () => {
    const exported = new Map<string, Set<string>>();
    for (const service of SERVICES) {
      for (const url of stack!.urls(service)) {
        const text = await fetch(`${url}/metrics`).then((response) => response.text());
        for (const name of sampleNames(parseExposition(text)))
          exported.set(name, (exported.get(name) ?? new Set()).add(service));
      }
    }
    const loadText = await fetch(`${load!.metricsUrl}/metrics`).then((response) => response.text());
    for (const name of sampleNames(parseExposition(loadText)))
      exported.set(name, (exported.get(name) ?? new Set()).add('load'));

    const recorded = new Set(rules.flatMap((rule) => (rule.record === undefined ? [] : [rule.record])));
    const named = new Set(
      [...dashboardQueries().map((query) => query.expr), ...rules.map((rule) => rule.expr)].flatMap((expr) =>
        metricNamesIn(expr),
      ),
    );
    const raw = [...named].filter((name) => !recorded.has(name) && name !== 'up');
    expect(raw.length).toBeGreaterThan(20);
    expect(raw.filter((name) => !exported.has(name)).sort(), 'named but exported by no process').toEqual([]);
    // Runtime panels are per instance: every service must export what they query.
    const runtime = dashboardQueries()
      .filter((query) => query.dashboard === 'shipshape-runtime.json')
      .flatMap((query) => metricNamesIn(query.expr));
    for (const name of runtime) {
      expect([...(exported.get(name) ?? [])].sort(), name).toEqual(expect.arrayContaining([...SERVICES]));
    }
  });
});
