import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { getRequestId } from './request-context.ts';
import { captureRouteTemplates, routeTemplate } from '../route/route-template.ts';

// eslint-disable-next-line @typescript-eslint/unbound-method -- called with an explicit `this`
const addOnce = EventEmitter.prototype.once;

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
  /** Present and `true` when the client went away before the response was complete. */
  aborted?: true;
}

/**
 * Express middleware writing exactly ONE line per request when the response has been sent
 * ('finish'), or when the connection closed first ('close' without 'finish', marked
 * `aborted`): method, route template, path, status, duration in ms, request id and trace ids.
 * Install it after `requestId()`. Status 5xx logs at `error`, 4xx at `warn`, the rest at `info`.
 */
export function accessLog(options: AccessLogOptions): RequestHandler {
  const { logger } = options;
  const ignored = new Set(options.ignorePaths ?? []);
  captureRouteTemplates();
  return (req, res, next) => {
    const path = req.path;
    if (ignored.has(path)) {
      next();
      return;
    }
    const startedAt = performance.now();
    // Captured now: at 'finish' the active span may be a child (or none) and the request
    // context may no longer be current.
    const spanContext = trace.getActiveSpan()?.spanContext();
    const requestId = getRequestId();
    const write = (aborted: boolean): void => {
      const line: AccessLogLine = {
        method: req.method,
        route: routeTemplate(req) ?? null,
        path,
        status: res.statusCode,
        duration_ms: Math.round((performance.now() - startedAt) * 1000) / 1000,
        request_id: requestId,
      };
      if (spanContext !== undefined && isSpanContextValid(spanContext)) {
        line.trace_id = spanContext.traceId;
        line.span_id = spanContext.spanId;
      }
      if (aborted) line.aborted = true;
      const status = res.statusCode;
      if (status >= 500) logger.error(line, 'request');
      else if (status >= 400 || aborted) logger.warn(line, 'request');
      else logger.info(line, 'request');
    };
    // One 'close' listener, not 'finish' + 'close': a response emits 'close' after 'finish'
    // or after an abort, and `writableFinished` tells which. Added through the prototype's
    // `once`, not `res.once`: the HTTP instrumentation replaces `res.once` with a version that
    // wraps each listener to restore the request's context, which this listener does not need
    // (it captured what it logs) and which measured ~30 µs per listener per request.
    addOnce.call(res, 'close', () => write(!res.writableFinished));
    next();
  };
}
