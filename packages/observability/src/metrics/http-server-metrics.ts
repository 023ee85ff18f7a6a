import { performance } from 'node:perf_hooks';
import { trace } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ResponseEndHandler } from '../route/request-record.ts';
import { onResponseEnd } from '../route/request-record.ts';
import { captureRouteTemplates, routeTemplate } from '../route/route-template.ts';
import { CONTRACT_METRICS } from './contract-metrics.ts';
import { traceExemplar } from './exemplar.ts';
import type { MetricsRegistry } from './metrics-registry.ts';
import type { Histogram } from 'prom-client';
import { semconvMethod } from '../route/http-method.ts';
import { DURATION_BUCKETS_SECONDS, STATUS_CLIENT_CLOSED, UNMATCHED_ROUTE } from './names.ts';

type Labels = Record<'method' | 'route' | 'status_code', string>;

/** The index of the contract bucket `seconds` falls in (`+Inf` last), as prom-client finds it. */
function bucketIndex(seconds: number): number {
  const index = DURATION_BUCKETS_SECONDS.findIndex((upperBound) => seconds <= upperBound);
  return index === -1 ? DURATION_BUCKETS_SECONDS.length : index;
}

/** One series: its labels, prom-client's child bound to them, and exemplar bookkeeping. */
interface Series {
  labels: Labels;
  child: Histogram.Internal<keyof Labels>;
  /** `performance.now()` of the last exemplar, per duration bucket (+Inf last). */
  exemplarAt: Float64Array;
}

/** Options of {@link httpServerMetrics}. */
export interface HttpServerMetricsOptions {
  /**
   * The shortest interval between two exemplar updates of the same series and bucket. A bucket
   * keeps only its latest exemplar and Prometheus reads it once per scrape (15 s here), so
   * refreshing it on every request under load only costs (the exemplar's labels are checked
   * and a record allocated for each one). `0` refreshes every time.
   * @default 1000 (ms)
   */
  exemplarIntervalMs?: number;
}

const defaults = { exemplarIntervalMs: 1000 } satisfies HttpServerMetricsOptions;

/** The `status_code` 499 (client closed the connection first) as a number key. */
const clientClosed = Number(STATUS_CLIENT_CLOSED);

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
 * request's trace as exemplar when the trace is sampled, refreshed at most once per
 * `exemplarIntervalMs` per series and bucket.
 *
 * Per request it adds no listener and no closure of its own: it registers its end handler on
 * the request record (see `onResponseEnd`), whose one `close` listener also ends the server
 * span and writes the access line. The duration runs from the record's start, the moment the
 * first of them saw the request. It keeps prom-client's child of each (method, route, status)
 * series (`histogram.labels(…)`), found without building a key string; an observation that
 * refreshes an exemplar goes through `histogram.observe({ labels, value, exemplarLabels })`,
 * the one form that records exemplars.
 */
export function httpServerMetrics(
  metrics: MetricsRegistry,
  options: HttpServerMetricsOptions = {},
): RequestHandler {
  const { exemplarIntervalMs } = { ...defaults, ...options };
  if (!Number.isFinite(exemplarIntervalMs) || exemplarIntervalMs < 0) {
    throw new RangeError(`exemplarIntervalMs must be a non-negative number, got ${exemplarIntervalMs}`);
  }
  const histogram = metrics.histogram(CONTRACT_METRICS.httpServerRequestDuration);
  // route -> status code -> method -> series: no key string is built per request. Bounded like
  // the series themselves: methods, templates and statuses are closed sets.
  const seriesCache = new Map<string, Map<number, Map<string, Series>>>();
  const seriesFor = (method: string, route: string, status: number): Series => {
    let byStatus = seriesCache.get(route);
    if (byStatus === undefined) seriesCache.set(route, (byStatus = new Map<number, Map<string, Series>>()));
    let byMethod = byStatus.get(status);
    if (byMethod === undefined) byStatus.set(status, (byMethod = new Map<string, Series>()));
    let series = byMethod.get(method);
    if (series === undefined) {
      const labels: Labels = {
        method,
        route,
        status_code: status === clientClosed ? STATUS_CLIENT_CLOSED : String(status),
      };
      series = {
        labels,
        child: histogram.labels(labels),
        exemplarAt: new Float64Array(DURATION_BUCKETS_SECONDS.length + 1).fill(-Infinity),
      };
      byMethod.set(method, series);
    }
    return series;
  };
  const observe: ResponseEndHandler = (request, response, requestRecord, aborted) => {
    const req = request as Request;
    const now = performance.now();
    const seconds = (now - requestRecord.startedAt) / 1000;
    const series = seriesFor(
      semconvMethod(req.method),
      routeTemplate(req) ?? UNMATCHED_ROUTE,
      aborted ? clientClosed : (response as Response).statusCode,
    );
    const bucket = bucketIndex(seconds);
    const spanContext = requestRecord.spanContext;
    const exemplarLabels =
      spanContext === undefined || now - series.exemplarAt[bucket]! < exemplarIntervalMs
        ? undefined
        : traceExemplar(spanContext);
    if (exemplarLabels === undefined) {
      series.child.observe(seconds);
      return;
    }
    series.exemplarAt[bucket] = now;
    histogram.observe({
      labels: series.labels,
      value: seconds,
      exemplarLabels,
    });
  };
  captureRouteTemplates();
  return (req: Request, res: Response, next: NextFunction) => {
    const requestRecord = onResponseEnd(req, res, observe);
    // Without this package's tracing (or before it made the span), the active span now.
    requestRecord.spanContext ??= trace.getActiveSpan()?.spanContext();
    next();
  };
}
