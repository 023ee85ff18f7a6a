// A real Prometheus (the `prometheus` binary, as CI installs it) scrapes a service's /metrics:
// proves that the OpenMetrics it negotiates parses, that counters keep their contract names
// through the OpenMetrics `_total` rules, and that exemplars reach Prometheus' exemplar storage.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { skipWithoutTool, startPrometheus, waitFor } from '@shipshape/test-harness';
import type { PrometheusServer } from '@shipshape/test-harness';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../src/http/listen.test-helper.ts';
import type { Listening } from '../../src/http/listen.test-helper.ts';
import { FakeEmitter } from '../../src/metrics/fake-emitter.test-helper.ts';
import { MetricsRegistry, bridgeRetry, httpServerMetrics, metricsHandler } from '../../src/metrics/index.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

const contextManager = new AsyncLocalStorageContextManager();
const acceptHeaders: string[] = [];
let service: Listening;
let prometheus: PrometheusServer | undefined;
let base = '';

async function query(path: string): Promise<
  {
    metric?: Record<string, string>;
    value?: [number, string];
    exemplars?: { labels: Record<string, string> }[];
  }[]
> {
  const body = (await (await fetch(`${base}${path}`)).json()) as { status: string; data: unknown };
  if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`);
  const data = body.data as { result?: unknown[] } | unknown[];
  return (Array.isArray(data) ? data : (data.result ?? [])) as never;
}

// Needs the prometheus binary: skipped with a reason on a machine without it, never in CI.
const noPrometheus = skipWithoutTool('prometheus', 'apt-get install prometheus');

beforeAll(async () => {
  if (noPrometheus) return;
  context.setGlobalContextManager(contextManager.enable());

  const metrics = new MetricsRegistry({ service: 'order' });
  const retries = new FakeEmitter<{ name: string; attempt: number; delayMs: number; reason: string }>();
  bridgeRetry(
    {
      name: 'user',
      onRetry: retries.subscribe,
      onGiveUp: () => ({ dispose() {} }),
      onBudgetExhausted: () => ({ dispose() {} }),
    },
    metrics,
  );
  retries.emit({ name: 'user', attempt: 1, delayMs: 10, reason: 'http_503' });
  retries.emit({ name: 'user', attempt: 2, delayMs: 20, reason: 'http_503' });

  const app = express();
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const sampled = trace.setSpanContext(context.active(), {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
    });
    if (req.path === '/metrics') {
      acceptHeaders.push(req.headers.accept ?? '');
      return next();
    }
    context.with(sampled, next);
  });
  app.use(httpServerMetrics(metrics));
  app.get('/metrics', metricsHandler(metrics));
  app.get('/orders/:id', (req, res) => void res.json({ id: req.params.id }));
  service = await listen(app);
  for (const id of ['1', '2', '3']) await fetch(`${service.url}/orders/${id}`);

  prometheus = await startPrometheus({
    configYaml: [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: order',
      '    static_configs:',
      `      - targets: ['${new URL(service.url).host}']`,
      '',
    ].join('\n'),
    args: ['--enable-feature=exemplar-storage'],
  });
  base = prometheus.url;
}, 45_000);

afterAll(async () => {
  await prometheus?.close();
  await service?.close();
  context.disable();
});

describe.skipIf(noPrometheus)('a real Prometheus scraping /metrics', () => {
  const histogramCount = encodeURIComponent(
    'http_server_request_duration_seconds_count{route="/orders/:id"}',
  );

  it('negotiates OpenMetrics and stores the route-template histogram with the service label', async () => {
    await waitFor(
      'the histogram in Prometheus',
      async () => (await query(`/api/v1/query?query=${histogramCount}`)).length > 0,
      {
        timeoutMs: 30_000,
        intervalMs: 250,
      },
    );
    const [series] = await query(`/api/v1/query?query=${histogramCount}`);
    expect(series!.metric).toMatchObject({
      service: 'order',
      method: 'GET',
      route: '/orders/:id',
      status_code: '200',
    });
    expect(series!.value![1]).toBe('3');
    expect(acceptHeaders[0]).toMatch(/^application\/openmetrics-text/);
  }, 40_000);

  it('keeps the trace exemplar of the latency bucket', async () => {
    const expr = encodeURIComponent('http_server_request_duration_seconds_bucket{route="/orders/:id"}');
    let traceIds: string[] = [];
    await waitFor(
      'an exemplar',
      async () => {
        const now = Date.now() / 1000;
        const series = await query(
          `/api/v1/query_exemplars?query=${expr}&start=${now - 300}&end=${now + 300}`,
        );
        traceIds = series.flatMap((s) => (s.exemplars ?? []).map((e) => e.labels.trace_id ?? ''));
        return traceIds.length > 0;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(new Set(traceIds)).toEqual(new Set([TRACE_ID]));
  }, 40_000);

  it('stores counters under their contract names', async () => {
    const expr = encodeURIComponent('resilience_retries_total{name="user",reason="http_503"}');
    await waitFor(
      'the retries counter',
      async () => (await query(`/api/v1/query?query=${expr}`)).length > 0,
      {
        timeoutMs: 30_000,
        intervalMs: 250,
      },
    );
    const [series] = await query(`/api/v1/query?query=${expr}`);
    expect(series!.value![1]).toBe('2');
  }, 40_000);
});
