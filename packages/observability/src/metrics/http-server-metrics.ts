import { performance } from 'node:perf_hooks';
import { trace } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { CONTRACT_METRICS } from './contract-metrics.ts';
import { observeWithTrace } from './exemplar.ts';
import type { MetricsRegistry } from './metrics-registry.ts';
import { OTHER_METHOD, STATUS_CLIENT_CLOSED, UNMATCHED_ROUTE } from './names.ts';

/** The methods that get their own `method` label; anything else is `_OTHER`. */
const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

/**
 * Express middleware recording `http_server_request_duration_seconds{method,route,status_code}`.
 * Mount it first, before any router.
 *
 * `route` is the route TEMPLATE (`/users/:id`), never the raw path: the mount path
 * (`req.baseUrl`) joined with `req.route.path`, taken at the moment express matches the route,
 * because express restores `req.baseUrl` when an error leaves a sub-router. Requests that match
 * no route share one series, `route="unmatched"`, so random paths cannot grow the series count.
 * A request whose client disconnects before the response finished is recorded with
 * `status_code="499"`. The bucket of each observation keeps the request's trace as exemplar.
 */
export function httpServerMetrics(metrics: MetricsRegistry): RequestHandler {
  const histogram = metrics.histogram(CONTRACT_METRICS.httpServerRequestDuration);
  return (req: Request, res: Response, next: NextFunction) => {
    const start = performance.now();
    const spanContext = trace.getActiveSpan()?.spanContext();
    const template = captureRouteTemplate(req);
    let recorded = false;
    const record = (statusCode: string) => {
      if (recorded) return;
      recorded = true;
      const labels = {
        method: KNOWN_METHODS.has(req.method) ? req.method : OTHER_METHOD,
        route: template(),
        status_code: statusCode,
      };
      observeWithTrace(histogram, labels, (performance.now() - start) / 1000, spanContext);
    };
    res.once('finish', () => record(String(res.statusCode)));
    res.once('close', () => record(res.writableFinished ? String(res.statusCode) : STATUS_CLIENT_CLOSED));
    next();
  };
}

/**
 * Wraps `req.route` in an accessor that remembers the template when express assigns the
 * matched route, with the `req.baseUrl` of that moment.
 */
function captureRouteTemplate(req: Request): () => string {
  let route: unknown;
  let template: string | undefined;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: unknown) => {
      route = value;
      template = joinTemplate(req.baseUrl, value);
    },
  });
  return () => template ?? UNMATCHED_ROUTE;
}

function joinTemplate(baseUrl: string, route: unknown): string | undefined {
  if (route === undefined || route === null) return undefined;
  const path = (route as { path?: unknown }).path;
  const part = Array.isArray(path) ? path.map(String).join('|') : String(path);
  if (part === '/' && baseUrl) return baseUrl;
  return `${baseUrl}${part}` || '/';
}
