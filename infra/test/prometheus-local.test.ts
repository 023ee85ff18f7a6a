import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startPrometheus, waitFor } from '@shipshape/test-harness';
import type { PrometheusServer } from '@shipshape/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { renderLocalPrometheusConfig } from '../src/prometheus-local-config.ts';
import type { PrometheusConfig } from '../src/prometheus-local-config.ts';
import { INFRA, readYaml, run } from './support/repo.ts';
import { skipWithoutTool } from '@shipshape/test-harness';

/**
 * A real Prometheus (the machine's, `apt-get install prometheus`) runs the local flavour of the
 * configuration against an HTTP server on 127.0.0.1 that exposes contract metrics the way a
 * service does (OpenMetrics with a trace_id exemplar). Proves what static checks cannot: the
 * static targets are scraped, the recording rules produce series from contract metrics, and
 * exemplar storage keeps the trace link.
 */

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const LABELS = 'service="order",method="POST",route="/orders",status_code="202"';
let scrapes = 0;

/** What an order service's /metrics might answer after `scrapes` scrapes (10 requests each). */
function openMetrics(): string {
  const count = scrapes * 10;
  const lines = ['# TYPE http_server_request_duration_seconds histogram'];
  for (const le of ['0.1', '0.5', '+Inf']) {
    const exemplar = le === '0.5' ? ` # {trace_id="${TRACE_ID}",span_id="00f067aa0ba902b7"} 0.2` : '';
    const value = le === '0.1' ? Math.floor(count / 2) : count;
    lines.push(`http_server_request_duration_seconds_bucket{${LABELS},le="${le}"} ${value}${exemplar}`);
  }
  lines.push(`http_server_request_duration_seconds_sum{${LABELS}} ${count * 0.15}`);
  lines.push(`http_server_request_duration_seconds_count{${LABELS}} ${count}`);
  lines.push(
    '# TYPE queue_jobs gauge',
    'queue_jobs{service="order",queue="payments",state="dead_letter"} 0',
    '# EOF',
    '',
  );
  return lines.join('\n');
}

const metrics = createServer((request, response) => {
  if (request.url !== '/metrics') {
    response.statusCode = 404;
    response.end();
    return;
  }
  scrapes += 1;
  response.setHeader('content-type', 'application/openmetrics-text; version=1.0.0; charset=utf-8');
  response.end(openMetrics());
});

let prometheus: PrometheusServer | undefined;
let base = '';

async function query(path: string): Promise<unknown[]> {
  const response = await fetch(`${base}${path}`);
  const body = (await response.json()) as { status: string; data: { result?: unknown[] } | unknown[] };
  if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`);
  return Array.isArray(body.data) ? body.data : (body.data.result ?? []);
}

// Needs the prometheus binary: skipped with a reason on a machine without it, never in CI.
const noPrometheus = skipWithoutTool('prometheus', 'apt-get install prometheus');

beforeAll(async () => {
  if (noPrometheus) return;
  run('promtool', ['--version']); // fails with the install command when Prometheus is missing
  await new Promise<void>((resolve) => metrics.listen(0, '127.0.0.1', resolve));
  const target = `127.0.0.1:${(metrics.address() as AddressInfo).port}`;
  const compose = readYaml<PrometheusConfig>('infra/prometheus/prometheus.yml');
  const config = renderLocalPrometheusConfig(compose, {
    targets: { user: [target], order: [target], payment: [target] },
    ruleFiles: [join(INFRA, 'prometheus', 'rules', '*.yml')],
  });
  prometheus = await startPrometheus({
    configYaml: stringify(config),
    args: ['--enable-feature=exemplar-storage'],
  });
  base = prometheus.url;
}, 45_000);

afterAll(async () => {
  await prometheus?.close();
  await new Promise((resolve) => metrics.close(resolve));
});

describe.skipIf(noPrometheus)('the local Prometheus configuration on a real Prometheus', () => {
  it('loads every rule group', async () => {
    const groups = (await fetch(`${base}/api/v1/rules`).then((r) => r.json())) as {
      data: { groups: { name: string }[] };
    };
    expect(groups.data.groups.map((group) => group.name)).toEqual(
      expect.arrayContaining(['shipshape-red-server', 'shipshape-slo-orders', 'shipshape-resilience-alerts']),
    );
  });

  it('scrapes the static targets', async () => {
    await waitFor(
      'order target up',
      async () => (await query('/api/v1/query?query=up%7Bjob%3D%22order%22%7D%3D%3D1')).length === 1,
      {
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    );
  }, 40_000);

  it('records the per-route request rate from the contract histogram', async () => {
    const expr = encodeURIComponent(
      'service_method_route:http_server_requests:rate1m{service="order",route="/orders"} > 0',
    );
    await waitFor(
      'recorded request rate',
      async () => (await query(`/api/v1/query?query=${expr}`)).length > 0,
      {
        timeoutMs: 45_000,
        intervalMs: 500,
      },
    );
  }, 50_000);

  it('keeps the trace_id exemplar of a latency bucket', async () => {
    const expr = encodeURIComponent('http_server_request_duration_seconds_bucket{job="order"}');
    const now = Date.now() / 1000;
    let traceIds: string[] = [];
    await waitFor(
      'an exemplar',
      async () => {
        const series = (await query(
          `/api/v1/query_exemplars?query=${expr}&start=${now - 300}&end=${now + 300}`,
        )) as {
          exemplars: { labels: { trace_id?: string } }[];
        }[];
        traceIds = series.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id ?? ''));
        return traceIds.length > 0;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(traceIds).toContain(TRACE_ID);
  }, 40_000);
});
