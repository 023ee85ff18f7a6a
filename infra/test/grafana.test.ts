import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DASHBOARDS } from '../src/grafana/dashboards.ts';
import { ALLOWED_METRICS, metricNamesIn } from './support/metric-names.ts';
import { readText, readYaml, run } from './support/repo.ts';
import { skipWithoutTool } from '@shipshape/test-harness';

interface Target {
  expr: string;
  exemplar: boolean;
  datasource: { uid: string };
}
interface Panel {
  type: string;
  title: string;
  description?: string;
  unit?: string;
  targets?: Target[];
  fieldConfig?: { defaults?: { unit?: string } };
}
interface Dashboard {
  uid: string;
  title: string;
  refresh: string;
  panels: Panel[];
  templating: { list: { name: string; definition: string }[] };
}

const DIR = join(import.meta.dirname, '..', 'grafana', 'dashboards');
const files = readdirSync(DIR).filter((file) => file.endsWith('.json'));
const dashboards = files.map(
  (file) => [file, JSON.parse(readText(`infra/grafana/dashboards/${file}`)) as Dashboard] as const,
);
const recorded = new Set(
  readdirSync(join(import.meta.dirname, '..', 'prometheus', 'rules')).flatMap((file) =>
    readYaml<{ groups: { rules: { record?: string }[] }[] }>(`infra/prometheus/rules/${file}`).groups.flatMap(
      (group) => group.rules.flatMap((rule) => (rule.record ? [rule.record] : [])),
    ),
  ),
);
const queries = dashboards.flatMap(([file, dashboard]) => [
  ...dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ file, panel, expr: target.expr })),
  ),
  ...dashboard.templating.list.map((variable) => ({
    file,
    panel: { title: `variable ${variable.name}` } as Panel,
    expr: variable.definition.replace(/^label_values\((.*), \w+\)$/, '$1'),
  })),
]);

describe('Grafana dashboards', () => {
  it('are the four provisioned dashboards, identical to what infra/src/grafana generates', () => {
    expect(files.sort()).toEqual(Object.keys(DASHBOARDS).sort());
    for (const [file, dashboard] of dashboards) expect(dashboard, file).toEqual(DASHBOARDS[file]);
  });

  it.each(dashboards)('%s refreshes every 5 s and explains how to generate traffic', (_file, dashboard) => {
    expect(dashboard.refresh).toBe('5s');
    const text = dashboard.panels.filter((panel) => panel.type === 'text');
    expect(JSON.stringify(text)).toContain('npm run load');
  });

  it.each(dashboards)(
    '%s: every panel has a description, and every graph queries Prometheus',
    (_file, dashboard) => {
      for (const panel of dashboard.panels) {
        expect(panel.description?.length ?? 0, panel.title).toBeGreaterThan(40);
        if (panel.type === 'text') continue;
        expect(panel.targets?.length ?? 0, panel.title).toBeGreaterThan(0);
        for (const target of panel.targets!) expect(target.datasource.uid).toBe('prometheus');
      }
    },
  );

  it('shows exemplars on the latency panels of the request and queue histograms', () => {
    const latency = dashboards.flatMap(([, dashboard]) =>
      dashboard.panels.filter((panel) => panel.targets?.some((target) => /_bucket/.test(target.expr))),
    );
    expect(latency.length).toBeGreaterThanOrEqual(4);
    for (const panel of latency.filter((p) =>
      p.targets!.some((t) => /duration_seconds_bucket|wait_seconds_bucket/.test(t.expr)),
    )) {
      if (panel.title.includes('p95 by route')) continue;
      expect(
        panel.targets!.some((target) => target.exemplar),
        panel.title,
      ).toBe(true);
    }
  });

  it('query only contract metrics, prom-client defaults, up and recorded series', () => {
    for (const { file, panel, expr } of queries) {
      for (const name of metricNamesIn(expr)) {
        expect(ALLOWED_METRICS.has(name) || recorded.has(name), `${file} "${panel.title}": ${name}`).toBe(
          true,
        );
      }
    }
  });

  // Needs promtool: skipped with a reason on a machine without it, never in CI.
  it.skipIf(skipWithoutTool('promtool', 'apt-get install prometheus'))(
    'query valid PromQL (promtool parses every expression)',
    () => {
      const rules = queries.map(({ expr }, index) => ({
        record: `dashboard:query:${index}`,
        expr: expr.replace(/\$\w+/g, '.*'),
      }));
      const file = join(mkdtempSync(join(tmpdir(), 'shipshape-grafana-')), 'queries.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard-queries', rules }] }));
      const result = run('promtool', ['check', 'rules', file]);
      expect(result.stdout + result.stderr).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(result.status).toBe(0);
    },
  );
});

describe('Grafana provisioning', () => {
  interface Datasource {
    uid: string;
    type: string;
    url: string;
    jsonData?: { exemplarTraceIdDestinations?: { name: string; datasourceUid: string }[] };
  }
  const { datasources } = readYaml<{ datasources: Datasource[] }>(
    'infra/grafana/provisioning/datasources/datasources.yml',
  );

  it('provisions Prometheus and Jaeger under the uids the dashboards use', () => {
    expect(datasources.map((ds) => [ds.uid, ds.type, ds.url])).toEqual([
      ['prometheus', 'prometheus', 'http://prometheus:9090'],
      ['jaeger', 'jaeger', 'http://jaeger:16686'],
    ]);
  });

  it("links an exemplar's trace_id to its trace in Jaeger", () => {
    const prometheus = datasources.find((ds) => ds.uid === 'prometheus')!;
    expect(prometheus.jsonData?.exemplarTraceIdDestinations).toEqual([
      { name: 'trace_id', datasourceUid: 'jaeger' },
    ]);
  });

  it('loads the dashboards from the folder compose mounts them at', () => {
    const { providers } = readYaml<{ providers: { options: { path: string } }[] }>(
      'infra/grafana/provisioning/dashboards/dashboards.yml',
    );
    expect(providers[0]!.options.path).toBe('/etc/grafana/dashboards');
    const compose = readText('docker-compose.yml');
    expect(compose).toContain('./infra/grafana/dashboards:/etc/grafana/dashboards:ro');
  });
});
