// createApp(deps) builds the app and never listens (main.ts does): health and /metrics first, a
// rate-limited route, and a route that calls the upstream through the service client.
import express from 'express';
import type { Express, RequestHandler } from 'express';
import type { Health } from './vendor/observability/health/index.ts';
import { accessLog, requestId } from './vendor/observability/logging/index.ts';
import { httpServerMetrics, metricsHandler } from './vendor/observability/metrics/index.ts';
import type { MetricsRegistry } from './vendor/observability/metrics/index.ts';
import {
  isTimeoutError,
  isUpstreamHttpError,
  isUpstreamUnavailableError,
} from './vendor/resilience/http/index.ts';
import type { ServiceClient } from './vendor/resilience/http/index.ts';
import type { Logger } from 'pino';

export interface AppDeps {
  logger: Logger;
  metrics: MetricsRegistry;
  health: Health;
  upstream: ServiceClient;
  /** The rate limit of `GET /hello` (a Redis-backed limiter's middleware). */
  rateLimit: RequestHandler;
  greeting: () => string;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.use(httpServerMetrics(deps.metrics));
  app.use(requestId());
  app.use(accessLog({ logger: deps.logger, ignorePaths: ['/health', '/ready', '/metrics'] }));
  app.get('/health', deps.health.livenessHandler());
  app.get('/ready', deps.health.readinessHandler());
  app.get('/metrics', metricsHandler(deps.metrics));

  app.get('/hello', deps.rateLimit, (_req, res) => {
    res.json({ message: deps.greeting() });
  });

  app.get('/quote', async (_req, res) => {
    try {
      const answer = await deps.upstream.request<{ price: number }>({ path: '/price' });
      res.status(answer.status === 200 ? 200 : 502).json(answer.body);
    } catch (error) {
      if (isTimeoutError(error)) return void res.status(504).json(problem(504, 'upstream_timeout'));
      if (isUpstreamHttpError(error)) return void res.status(502).json(problem(502, 'upstream_error'));
      if (!isUpstreamUnavailableError(error)) throw error;
      res.set('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
      res.status(503).json(problem(503, 'upstream_unavailable'));
    }
  });
  return app;
}

function problem(status: number, code: string) {
  return { type: 'about:blank', title: code, status, detail: `The upstream call failed: ${code}.`, code };
}
