// The middleware of this package wired the way a Shipshape service wires it, checked end to end
// over real HTTP: metrics see deadlines, problems and unmatched routes with bounded labels.
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHealth } from '../../src/health/index.ts';
import {
  HttpProblem,
  deadlineMiddleware,
  methodNotAllowed,
  notFoundHandler,
  problemErrorHandler,
  requestSignal,
  requireJsonBody,
} from '../../src/http/index.ts';
import type { ErrorLogger } from '../../src/http/index.ts';
import { listen } from '../../src/http/listen.test-helper.ts';
import type { Listening } from '../../src/http/listen.test-helper.ts';
import { MetricsRegistry, httpServerMetrics, metricsHandler } from '../../src/metrics/index.ts';
import { parseExposition, valueOf } from '@shipshape/test-harness/exposition';

function createApp(metrics: MetricsRegistry, logs: string[]) {
  const logger: ErrorLogger = {
    error: (_c, message) => logs.push(`error ${message}`),
    warn: (_c, message) => logs.push(`warn ${message}`),
  };
  const health = createHealth({ cacheMs: 0, checks: { redis: () => true } });
  const app = express();
  app.use(httpServerMetrics(metrics));
  app.get('/health', health.livenessHandler());
  app.get('/ready', health.readinessHandler());
  app.get('/metrics', metricsHandler(metrics));
  app.use(deadlineMiddleware({ maxTimeoutMs: 30_000 }));
  app.use(requireJsonBody());
  app.use(express.json({ limit: '16kb' }));
  const orders = express.Router();
  orders
    .route('/:id')
    .get(async (req: Request, res: Response, next: NextFunction) => {
      if (req.params.id === 'missing') return next(new HttpProblem({ status: 404, code: 'order_not_found' }));
      // Ignores its signal on purpose: answers after the deadline already did.
      await new Promise((resolve) => setTimeout(resolve, Number(req.query.workMs ?? 0)));
      res.json({ id: req.params.id, aborted: requestSignal(req).aborted });
    })
    .all(methodNotAllowed(['GET']));
  app.use('/orders', orders);
  app.use(notFoundHandler());
  app.use(problemErrorHandler({ logger }));
  return app;
}

describe('a service wired with the whole package', () => {
  let metrics: MetricsRegistry;
  let logs: string[];
  let server: Listening;
  beforeEach(async () => {
    metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
    logs = [];
    server = await listen(createApp(metrics, logs));
  });
  afterEach(async () => server.close());

  const count = async (labels: Record<string, string>) => {
    const exp = parseExposition(await metrics.render('prometheus'));
    return valueOf(exp, 'http_server_request_duration_seconds_count', labels);
  };

  it('records a request answered by its deadline under its route template with 504', async () => {
    const res = await fetch(`${server.url}/orders/7?workMs=300`, {
      headers: { 'x-request-timeout-ms': '50' },
    });
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ code: 'deadline_exceeded' });
    expect(await count({ route: '/orders/:id', status_code: '504' })).toBe(1);
    // The handler's late answer is logged as a warning, not sent and not a crash.
    await vi.waitFor(() => expect(logs).toEqual(['warn error after the response was sent']), {
      timeout: 5_000,
    });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('records problems and unmatched routes with bounded labels', async () => {
    expect((await fetch(`${server.url}/orders/missing`)).status).toBe(404);
    expect((await fetch(`${server.url}/orders/1`, { method: 'PUT' })).status).toBe(405);
    expect((await fetch(`${server.url}/no/such/path`)).status).toBe(404);
    expect(await count({ route: '/orders/:id', status_code: '404', method: 'GET' })).toBe(1);
    expect(await count({ route: '/orders/:id', status_code: '405', method: 'PUT' })).toBe(1);
    expect(await count({ route: 'unmatched', status_code: '404' })).toBe(1);
  });

  it('serves health and readiness before the deadline and body middleware', async () => {
    const ready = await fetch(`${server.url}/ready`, { headers: { 'x-request-timeout-ms': '0' } });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', failing: [] });
  });
});
