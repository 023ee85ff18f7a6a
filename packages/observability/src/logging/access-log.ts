import { performance } from 'node:perf_hooks';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { ResponseEndHandler } from '../route/request-record.ts';
import { onResponseEnd } from '../route/request-record.ts';
import { captureRouteTemplates, routeTemplate } from '../route/route-template.ts';
import { flatLineLogger } from './flat-line-logger.ts';
import { getRequestId } from './request-context.ts';

/** Options of {@link accessLog}. */
export interface AccessLogOptions {
  /** The logger the lines go to (from `createLogger`). */
  logger: Logger;
  /**
   * Request paths (exact, without query string) that are not logged, e.g. probes.
   * @default []
   */
  ignorePaths?: readonly string[];
}

/** The fields of one access-log line (besides pino's own). */
export interface AccessLogLine {
  method: string;
  /** Route template, `null` when no route matched. */
  route: string | null;
  /** Path without the query string (which may carry tokens). */
  path: string;
  status: number;
  duration_ms: number;
  request_id: string | undefined;
  trace_id?: string;
  span_id?: string;
  /** W3C trace flags in hex (`01` = sampled), with `trace_id`. */
  trace_flags?: string;
  /** Present and `true` when the client went away before the response was complete. */
  aborted?: true;
}

/**
 * Express middleware writing exactly ONE line per request when the response has been sent
 * ('finish'), or when the connection closed first ('close' without 'finish', marked
 * `aborted`): method, route template, path, status, duration in ms, request id and trace ids.
 * Install it after `requestId()`. Levels: the level `problemErrorHandler` logged the outcome at,
 * when it handled one (so an outcome a service expects, such as an injected fault, is `info` in
 * both lines); else 5xx at `error`, 4xx at `warn` except 429 (the rate limiter working as
 * designed, counted by its metrics: `info`), the rest at `info`; a request the client abandoned
 * at `warn`.
 *
 * Per request it adds no listener and no closure: its end handler runs from the request
 * record's one `close` listener (shared with the metrics middleware and the server span), and
 * the duration runs from the record's start. The line is one `logger.info(line, 'request')`
 * (`warn`, `error`): pino's own path, with its secret scrubbing and destination, through a child
 * that keeps only the top-level redact paths (see `flatLineLogger`).
 */
export function accessLog(options: AccessLogOptions): RequestHandler {
  // The access line's fields are all flat: only top-level redact paths can apply to it.
  const logger = flatLineLogger(options.logger);
  const ignored = new Set(options.ignorePaths ?? []);
  captureRouteTemplates();
  const write: ResponseEndHandler = (request, response, record, aborted) => {
    const req = request as Request;
    const status = (response as Response).statusCode;
    const level = aborted
      ? 'warn'
      : (record.outcomeLevel ??
        (status >= 500 ? 'error' : status >= 400 && status !== 429 ? 'warn' : 'info'));
    const line: AccessLogLine = {
      method: req.method,
      route: routeTemplate(req) ?? null,
      // The original URL: a sub-router strips its mount path from `req.url` while it runs.
      path: pathOf(req.originalUrl ?? req.url),
      status,
      duration_ms: Math.round((performance.now() - record.startedAt) * 1000) / 1000,
      request_id: record.requestId,
    };
    const spanContext = record.spanContext;
    if (spanContext !== undefined && isSpanContextValid(spanContext)) {
      line.trace_id = spanContext.traceId;
      line.span_id = spanContext.spanId;
      line.trace_flags = spanContext.traceFlags === 1 ? '01' : hexByte(spanContext.traceFlags);
    }
    if (aborted) line.aborted = true;
    logger[level](line, 'request');
  };
  return (req, res, next) => {
    if (ignored.has(req.path)) {
      next();
      return;
    }
    const record = onResponseEnd(req, res, write);
    // Captured now, when not known already (from requestId() and this package's server span):
    // at 'close' the active span may be a child (or none) and the request context may no
    // longer be current.
    record.requestId ??= getRequestId();
    record.spanContext ??= trace.getActiveSpan()?.spanContext();
    next();
  };
}

/** The path of a URL without its query string (which may carry tokens). */
function pathOf(url: string): string {
  const queryAt = url.indexOf('?');
  return queryAt === -1 ? url : url.slice(0, queryAt);
}

function hexByte(value: number): string {
  return value.toString(16).padStart(2, '0');
}
