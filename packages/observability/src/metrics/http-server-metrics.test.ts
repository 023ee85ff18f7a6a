import { randomBytes } from 'node:crypto';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, trace } from '@opentelemetry/api';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../http/listen.test-helper.ts';
import type { Listening } from '../http/listen.test-helper.ts';
import { parseExposition, samplesOf, valueOf } from '@shipshape/test-harness/exposition';
import { httpServerMetrics } from './http-server-metrics.ts';
import type { HttpServerMetricsOptions } from './http-server-metrics.ts';
import { metricsHandler } from './metrics-handler.ts';
import { MetricsRegistry } from './metrics-registry.ts';

const DURATION = 'http_server_request_duration_seconds';
const sampled = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 };

function buildApp(metrics: MetricsRegistry, options: HttpServerMetricsOptions = {}) {
  const app = express();
  // Stands in for the OpenTelemetry HTTP instrumentation, which makes the server span active.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const traceId = req.headers['x-test-trace'];
    if (traceId === undefined) return next();
    const spanContext =
      typeof traceId === 'string' && traceId.length === 32 ? { ...sampled, traceId } : sampled;
    context.with(trace.setSpanContext(context.active(), spanContext), next);
  });
  app.use(httpServerMetrics(metrics, options));
  app.get('/metrics', metricsHandler(metrics));
  const users = express.Router();
  users.get('/', (_req, res) => void res.json([]));
  users.get('/:id', (req, res) => void res.json({ id: req.params.id }));
  users.post('/:id/fail', () => {
    throw new Error('boom');
  });
  app.use('/users', users);
  app.use((_req: Request, res: Response) => void res.status(404).end());
  app.use((_err: unknown, _req: Request, res: Response, _next: NextFunction) => void res.status(500).end());
  return app;
}

async function scrape(url: string, accept?: string) {
  const res = await fetch(`${url}/metrics`, { headers: accept ? { accept } : {} });
  return { contentType: res.headers.get('content-type'), exp: parseExposition(await res.text()) };
}

describe('httpServerMetrics', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  let metrics: MetricsRegistry;
  let server: Listening;

  beforeAll(() => {
    contextManager.enable();
    context.setGlobalContextManager(contextManager);
  });
  afterAll(() => {
    context.disable();
  });
  afterEach(async () => {
    await server.close();
  });

  async function start(options: HttpServerMetricsOptions = {}) {
    metrics = new MetricsRegistry({ service: 'user', defaultMetrics: false });
    server = await listen(buildApp(metrics, options));
  }

  const exemplarTraceIds = async (): Promise<(string | undefined)[]> => {
    const open = await scrape(server.url, 'application/openmetrics-text; version=1.0.0');
    return samplesOf(open.exp, `${DURATION}_bucket`, { route: '/users/:id' })
      .map((s) => s.exemplar?.labels.trace_id)
      .filter(Boolean);
  };
  const second = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

  it('labels requests by route template joined with the mount path', async () => {
    await start();
    await fetch(`${server.url}/users/42`);
    await fetch(`${server.url}/users/43`);
    await fetch(`${server.url}/users`);
    const { exp } = await scrape(server.url);
    const labels = { method: 'GET', status_code: '200' };
    expect(valueOf(exp, `${DURATION}_count`, { ...labels, route: '/users/:id' })).toBe(2);
    expect(valueOf(exp, `${DURATION}_count`, { ...labels, route: '/users' })).toBe(1);
    expect(samplesOf(exp, `${DURATION}_count`).some((s) => s.labels.route?.includes('42'))).toBe(false);
  });

  it('keeps the full template when an error leaves the sub-router', async () => {
    await start();
    await fetch(`${server.url}/users/7/fail`, { method: 'POST' });
    const { exp } = await scrape(server.url);
    expect(
      valueOf(exp, `${DURATION}_count`, { method: 'POST', route: '/users/:id/fail', status_code: '500' }),
    ).toBe(1);
  });

  it('keeps the series count constant across 10k random unmatched paths', async () => {
    await start();
    const hit = async (n: number) => {
      const workers = Array.from({ length: 16 }, async (_, w) => {
        for (let i = w; i < n; i += 16) {
          const res = await fetch(`${server.url}/${randomBytes(6).toString('hex')}/${i}`);
          await res.arrayBuffer();
        }
      });
      await Promise.all(workers);
    };
    await hit(50);
    await scrape(server.url); // the scrape itself is a request: let its own series exist first
    const before = samplesOf((await scrape(server.url)).exp, `${DURATION}_bucket`).length;
    await hit(10_000);
    const { exp } = await scrape(server.url);
    expect(samplesOf(exp, `${DURATION}_bucket`).length).toBe(before);
    expect(valueOf(exp, `${DURATION}_count`, { route: 'unmatched', status_code: '404' })).toBe(10_050);
  }, 120_000);

  it('maps unknown methods to _OTHER', async () => {
    await start();
    await fetch(`${server.url}/users`, { method: 'PROPFIND' });
    const { exp } = await scrape(server.url);
    expect(valueOf(exp, `${DURATION}_count`, { method: '_OTHER' })).toBe(1);
  });

  it('attaches the request trace as exemplar in OpenMetrics only', async () => {
    await start();
    await fetch(`${server.url}/users/1`, { headers: { 'x-test-trace': '1' } });
    const open = await scrape(server.url, 'application/openmetrics-text; version=1.0.0');
    expect(open.contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const exemplars = samplesOf(open.exp, `${DURATION}_bucket`, { route: '/users/:id' })
      .map((s) => s.exemplar?.labels)
      .filter(Boolean);
    expect(exemplars).toEqual([{ trace_id: sampled.traceId, span_id: sampled.spanId }]);

    const plain = await scrape(server.url);
    expect(plain.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(plain.exp.samples.filter((s) => s.exemplar)).toEqual([]);
    expect(valueOf(plain.exp, `${DURATION}_count`, { route: '/users/:id' })).toBe(1);
  });

  it('keeps the first exemplar of a bucket until the exemplar interval has passed', async () => {
    await start({ exemplarIntervalMs: 600_000 });
    await fetch(`${server.url}/users/1`, { headers: { 'x-test-trace': '1' } });
    await fetch(`${server.url}/users/2`, { headers: { 'x-test-trace': second } });
    // Both usually land in the same bucket; if the second lands in another, it starts that one.
    expect(await exemplarTraceIds()).toContain(sampled.traceId);
  });

  it('refreshes the exemplar on every request with an interval of 0', async () => {
    await start({ exemplarIntervalMs: 0 });
    await fetch(`${server.url}/users/1`, { headers: { 'x-test-trace': '1' } });
    await fetch(`${server.url}/users/2`, { headers: { 'x-test-trace': second } });
    expect(await exemplarTraceIds()).toContain(second);
  });
});

describe('httpServerMetrics options', () => {
  it('rejects a negative exemplar interval', () => {
    const metrics = new MetricsRegistry({ service: 'user', defaultMetrics: false });
    expect(() => httpServerMetrics(metrics, { exemplarIntervalMs: -1 })).toThrow(
      /exemplarIntervalMs must be a non-negative number, got -1/,
    );
  });
});
