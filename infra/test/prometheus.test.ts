import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { renderLocalPrometheusConfig } from '../src/prometheus-local-config.ts';
import type { PrometheusConfig } from '../src/prometheus-local-config.ts';
import { ALLOWED_METRICS, metricNamesIn } from './support/metric-names.ts';
import { readText, readYaml, run } from './support/repo.ts';
import { skipWithoutTool } from '@shipshape/test-harness';

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface AlertTest {
  alertname: string;
  eval_time: string;
  exp_alerts: unknown[];
}
interface RuleTestFile {
  tests: { name: string; alert_rule_test?: AlertTest[] }[];
}

const RULES_DIR = 'infra/prometheus/rules';
const TESTS_DIR = 'infra/prometheus/tests';
const ruleFiles = readdirSync(join(import.meta.dirname, '..', 'prometheus', 'rules')).filter((f) =>
  f.endsWith('.yml'),
);
const testFiles = readdirSync(join(import.meta.dirname, '..', 'prometheus', 'tests')).filter((f) =>
  f.endsWith('.yml'),
);
const rules: Rule[] = ruleFiles.flatMap((file) =>
  readYaml<{ groups: { rules: Rule[] }[] }>(`${RULES_DIR}/${file}`).groups.flatMap((group) => group.rules),
);
const alerts = rules.filter((rule) => rule.alert !== undefined);
const alertNames = [...new Set(alerts.map((rule) => rule.alert!))];
const recorded = new Set(rules.flatMap((rule) => (rule.record ? [rule.record] : [])));
const unitCases = testFiles.flatMap((file) =>
  readYaml<RuleTestFile>(`${TESTS_DIR}/${file}`).tests.flatMap((test) => test.alert_rule_test ?? []),
);

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const headings = markdown.split('\n').filter((line) => /^#{1,6} /.test(line));
  return new Set(
    headings.map((line) =>
      line
        .replace(/^#+ /, '')
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

// Needs promtool: skipped with a reason on a machine without it, never in CI.
const noPromtool = skipWithoutTool('promtool', 'apt-get install prometheus');

describe.skipIf(noPromtool)('Prometheus configuration', () => {
  it.each(['prometheus.yml', 'prometheus.local.yml'])('%s passes promtool check config', (file) => {
    const result = run('promtool', ['check', 'config', `infra/prometheus/${file}`]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('scrapes every 5 s and finds every replica of each service through DNS', () => {
    const config = readYaml<PrometheusConfig & { global: Record<string, string> }>(
      'infra/prometheus/prometheus.yml',
    );
    expect(config.global['scrape_interval']).toBe('5s');
    for (const [job, port] of [
      ['user', 3001],
      ['order', 3002],
      ['payment', 3003],
    ] as const) {
      const scrape = config.scrape_configs!.find((entry) => entry.job_name === job);
      expect(scrape?.dns_sd_configs).toEqual([{ names: [job], type: 'A', port, refresh_interval: '5s' }]);
    }
  });

  it('keeps prometheus.local.yml the compose configuration with static targets on 127.0.0.1', () => {
    const compose = readYaml<PrometheusConfig>('infra/prometheus/prometheus.yml');
    const local = readYaml<PrometheusConfig>('infra/prometheus/prometheus.local.yml');
    expect(local).toEqual(renderLocalPrometheusConfig(compose, { ruleFiles: ['rules/*.yml'] }));
  });

  it('renders a local configuration for services on any ports, valid for promtool', () => {
    const compose = readYaml<PrometheusConfig>('infra/prometheus/prometheus.yml');
    const local = renderLocalPrometheusConfig(compose, {
      targets: { payment: ['127.0.0.1:41003', '127.0.0.1:41013'] },
      ruleFiles: [join(import.meta.dirname, '..', 'prometheus', 'rules', '*.yml')],
    });
    const payment = local.scrape_configs!.find((entry) => entry.job_name === 'payment')!;
    expect(payment.static_configs).toEqual([{ targets: ['127.0.0.1:41003', '127.0.0.1:41013'] }]);
    expect(payment.dns_sd_configs).toBeUndefined();
    const file = join(mkdtempSync(join(tmpdir(), 'shipshape-prom-')), 'prometheus.yml');
    writeFileSync(file, stringify(local));
    const result = run('promtool', ['check', 'config', file]);
    expect(result.stdout).toContain(`${ruleFiles.length} rule files found`);
    expect(result.status).toBe(0);
  });

  it('points the load job at the given load generator, 127.0.0.1:9464 by default', () => {
    const compose = readYaml<PrometheusConfig>('infra/prometheus/prometheus.yml');
    const loadJob = (config: PrometheusConfig) =>
      config.scrape_configs!.find((entry) => entry.job_name === 'load')!;
    expect(loadJob(renderLocalPrometheusConfig(compose)).static_configs).toEqual([
      { targets: ['127.0.0.1:9464'] },
    ]);
    const local = renderLocalPrometheusConfig(compose, { loadTargets: ['127.0.0.1:41464'] });
    expect(loadJob(local).static_configs).toEqual([{ targets: ['127.0.0.1:41464'] }]);
    expect(loadJob(local).dns_sd_configs).toBeUndefined();
    expect(() => renderLocalPrometheusConfig(compose, { loadTargets: ['load:9464/metrics'] })).toThrow(
      'loadTargets must be host:port, got "load:9464/metrics"',
    );
  });

  it('rejects a local target that is not host:port, naming the job', () => {
    const compose = readYaml<PrometheusConfig>('infra/prometheus/prometheus.yml');
    expect(() =>
      renderLocalPrometheusConfig(compose, { targets: { order: ['http://127.0.0.1:3002'] } }),
    ).toThrow('targets.order must be host:port, got "http://127.0.0.1:3002"');
  });
});

describe.skipIf(noPromtool)('Prometheus rules', () => {
  it('pass promtool check rules', () => {
    const result = run('promtool', ['check', 'rules', ...ruleFiles.map((file) => `${RULES_DIR}/${file}`)]);
    expect(result.status).toBe(0);
  });

  it('pass their promtool unit tests', () => {
    const result = run('promtool', ['test', 'rules', ...testFiles.map((file) => `${TESTS_DIR}/${file}`)], {
      timeoutMs: 120_000,
    });
    expect(result.stdout + result.stderr).not.toContain('FAILED');
    expect(result.status).toBe(0);
  });

  it('has a unit test in which every alert fires and a later one in which it has resolved', () => {
    for (const name of alertNames) {
      const cases = unitCases.filter((test) => test.alertname === name);
      const firing = cases.filter((test) => test.exp_alerts.length > 0);
      expect(firing.length, `${name} never fires in a unit test`).toBeGreaterThan(0);
      const resolvedAfterFiring = cases.some(
        (test) =>
          test.exp_alerts.length === 0 &&
          firing.some((fire) => parseDuration(fire.eval_time) < parseDuration(test.eval_time)),
      );
      expect(resolvedAfterFiring, `${name} never resolves in a unit test`).toBe(true);
    }
  });

  it('gives every alert a severity, a summary, a description and a runbook section that exists', () => {
    const anchors = anchorsOf(readText('infra/README.md'));
    for (const alert of alerts) {
      expect(['critical', 'warning']).toContain(alert.labels?.['severity']);
      expect(alert.annotations?.['summary']?.length).toBeGreaterThan(20);
      expect(alert.annotations?.['description']?.length).toBeGreaterThan(80);
      const runbook = alert.annotations?.['runbook_url'] ?? '';
      expect(runbook).toMatch(/^infra\/README\.md#/);
      expect(anchors, `${alert.alert}: ${runbook}`).toContain(runbook.split('#')[1]);
    }
  });

  it('covers the SLO burn rates, breakers, dead letters, rate limiters, Redis (reachability and memory) and instances', () => {
    expect(alertNames.sort()).toEqual(
      [
        'CircuitBreakerOpen',
        'DeadLetterQueueNotEmpty',
        'InstanceDown',
        'OrdersAvailabilityFastBurn',
        'OrdersAvailabilitySlowBurn',
        'OrdersLatencyFastBurn',
        'OrdersLatencySlowBurn',
        'RateLimiterDegraded',
        'RedisMemoryHigh',
        'RedisUnreachable',
        'ServiceHasNoInstance',
      ].sort(),
    );
  });

  it('selects only contract metrics, the service kit Redis gauges, prom-client defaults, up and recorded series', () => {
    for (const rule of rules) {
      for (const name of metricNamesIn(rule.expr)) {
        expect(ALLOWED_METRICS.has(name) || recorded.has(name), `${rule.record ?? rule.alert}: ${name}`).toBe(
          true,
        );
      }
    }
  });

  it('flags a metric name that is not in the contract, so the check above can fail', () => {
    const unknown = metricNamesIn('sum by (service) (rate(http_requests_total{code="500"}[5m]))');
    expect(unknown).toEqual(['http_requests_total']);
    expect(ALLOWED_METRICS.has('http_requests_total')).toBe(false);
  });
});

function parseDuration(text: string): number {
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([smhd])/g)) seconds += Number(amount) * units[unit!]!;
  return seconds;
}
