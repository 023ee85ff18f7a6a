import { type Health } from '@shipshape/observability/health';
import { methodNotAllowed, notFoundHandler } from '@shipshape/observability/http';
import { metricsHandler, type MetricsRegistry } from '@shipshape/observability/metrics';
import express, { type Express } from 'express';
import { problemTypeBase } from '../errors/error-catalogue.ts';

/** Options of {@link createOperationalApp}. */
export interface OperationalAppOptions {
  health: Health;
  metrics: MetricsRegistry;
}

/**
 * The app of the plain-HTTP operational listener (`tls.operationalPort`): `GET /health`,
 * `GET /ready` and `GET /metrics`, nothing else — no API route, no `/config`. It lets kubelet
 * probes and Prometheus, which hold no client certificate, reach a service that requires mutual
 * TLS on its main port, as a mesh's sidecar does by rewriting probes.
 */
export function createOperationalApp(options: OperationalAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  const routes = [
    ['/health', options.health.livenessHandler()],
    ['/ready', options.health.readinessHandler()],
    ['/metrics', metricsHandler(options.metrics)],
  ] as const;
  for (const [path, handler] of routes) {
    app
      .route(path)
      .get(handler)
      .all(methodNotAllowed(['GET']));
  }
  app.use(notFoundHandler(problemTypeBase));
  return app;
}
