import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { trace } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { captureRouteTemplates, routeTemplate } from '../route/route-template.ts';
import { CONTRACT_METRICS } from './contract-metrics.ts';
import { traceExemplar } from './exemplar.ts';
import type { MetricsRegistry } from './metrics-registry.ts';
import { OTHER_METHOD, STATUS_CLIENT_CLOSED, UNMATCHED_ROUTE } from './names.ts';

// eslint-disable-next-line @typescript-eslint/unbound-method -- called with an explicit `this`
const addOnce = EventEmitter.prototype.once;

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

type Labels = Record<'method' | 'route' | 'status_code', string>;

/**
 * Express middleware recording `http_server_request_duration_seconds{method,route,status_code}`.
 * Mount it first, before any router.
 *
 * `route` is the route TEMPLATE (`/users/:id`), never the raw path: the mount path
 * (`req.baseUrl`) joined with `req.route.path`, taken at the moment express matches the route
 * (see `captureRouteTemplates`), because express restores `req.baseUrl` when an error leaves a
 * sub-router. Requests that match no route share one series, `route="unmatched"`, so random
 * paths cannot grow the series count. A request whose client disconnects before the response
 * finished is recorded with `status_code="499"`. The bucket of each observation keeps the
 * request's trace as exemplar when the trace is sampled.
 *
 * Per request it adds ONE `close` listener (a response emits `close` after `finish`, or after
 * an abort, and `writableFinished` tells which), through `EventEmitter.prototype.once` so that
 * no tracing wrapper around `res.once` gets in between, and it reuses one label object per
 * (method, route, status) instead of building one per request.
 */
export function httpServerMetrics(metrics: MetricsRegistry): RequestHandler {
  const histogram = metrics.histogram(CONTRACT_METRICS.httpServerRequestDuration);
  const labelCache = new Map<string, Labels>();
  const labelsFor = (method: string, route: string, statusCode: string): Labels => {
    // Bounded like the series themselves: methods, templates and statuses are closed sets.
    const key = `${method} ${statusCode} ${route}`;
    let labels = labelCache.get(key);
    if (labels === undefined) {
      labels = { method, route, status_code: statusCode };
      labelCache.set(key, labels);
    }
    return labels;
  };
  captureRouteTemplates();
  return (req: Request, res: Response, next: NextFunction) => {
    const start = performance.now();
    // Captured now: at 'close' the active span may be a child (or none).
    const spanContext = trace.getActiveSpan()?.spanContext();
    addOnce.call(res, 'close', () => {
      const seconds = (performance.now() - start) / 1000;
      const labels = labelsFor(
        KNOWN_METHODS.has(req.method) ? req.method : OTHER_METHOD,
        routeTemplate(req) ?? UNMATCHED_ROUTE,
        res.writableFinished ? String(res.statusCode) : STATUS_CLIENT_CLOSED,
      );
      const exemplarLabels = spanContext === undefined ? undefined : traceExemplar(spanContext);
      if (exemplarLabels === undefined) histogram.observe({ labels, value: seconds });
      else histogram.observe({ labels, value: seconds, exemplarLabels });
    });
    next();
  };
}
