import { randomUUID } from 'node:crypto';
import type { Span } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { requestRecord } from '../route/request-record.ts';
import { runWithRequestContext } from './request-context.ts';

/** Options of {@link requestId}. */
export interface RequestIdOptions {
  /**
   * The request and response header carrying the id (lower case).
   * @default 'x-request-id'
   */
  header?: string;
  /**
   * Longest incoming id accepted; longer ones are replaced by a fresh id.
   * @default 128 (characters)
   */
  maxLength?: number;
  /**
   * Makes a new id when the request brings none (or an invalid one).
   * @default crypto.randomUUID
   */
  generate?: () => string;
}

const defaults = { header: 'x-request-id', maxLength: 128, generate: randomUUID } satisfies RequestIdOptions;

// Ids end up in log lines, headers and span attributes: only characters that cannot break any
// of them (no spaces, quotes, control characters or newlines that would forge a log line).
const allowed = /^[A-Za-z0-9._:@+=/-]+$/;

/** Whether an incoming id is acceptable: 1..maxLength characters of `[A-Za-z0-9._:@+=/-]`. */
export function isValidRequestId(value: string, maxLength: number = defaults.maxLength): boolean {
  return value.length > 0 && value.length <= maxLength && allowed.test(value);
}

/**
 * Express middleware: reuses a valid incoming `x-request-id` or generates one, echoes it on the
 * response, records it on the active span as `request.id`, and makes it the current request
 * context, so every log line written while serving the request carries `request_id`.
 * Install it first, before the access log.
 */
export function requestId(options: RequestIdOptions = {}): RequestHandler {
  const settings = { ...defaults, ...options };
  if (!Number.isInteger(settings.maxLength) || settings.maxLength < 1) {
    throw new RangeError(`maxLength must be a positive integer, got ${settings.maxLength}`);
  }
  const header = settings.header.toLowerCase();
  return (req, res, next) => {
    const incoming = req.headers[header];
    const id =
      typeof incoming === 'string' && isValidRequestId(incoming, settings.maxLength)
        ? incoming
        : settings.generate();
    res.setHeader(header, id);
    // The record shared with the access log and the server span: the access log reads the id
    // from it, and this package's server span is found without reading the active context.
    const record = requestRecord(req, res);
    record.requestId = id;
    ((record.span as Span | undefined) ?? trace.getActiveSpan())?.setAttribute('request.id', id);
    runWithRequestContext({ requestId: id }, next);
  };
}
