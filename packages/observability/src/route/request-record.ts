import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { SpanContext } from '@opentelemetry/api';

// A registry symbol: the `--import` entry and the application may load two copies of this
// package, and the server span of one and the middleware of the other share the same record.
const recordKey = Symbol.for('@shipshape/observability/request-record');

// eslint-disable-next-line @typescript-eslint/unbound-method -- called with an explicit `this`
const addListener = EventEmitter.prototype.on;

/**
 * Runs once when the response of a request closes (after `finish`, or after the client went
 * away, then `aborted` is true). Handlers are created once (per middleware or instrumentation),
 * not per request.
 */
export type ResponseEndHandler = (req: object, res: object, record: RequestRecord, aborted: boolean) => void;

/** What the server span, the request id, the metrics and the access log share about a request. */
export interface RequestRecord {
  /** The request. */
  readonly req: object;
  /** `performance.now()` when the first of them saw the request (ms). */
  readonly startedAt: number;
  /** The server span's context, set by the tracing instrumentation or the first middleware. */
  spanContext: SpanContext | undefined;
  /** The server span itself, when this package's tracing made one. */
  span: { end(): void } | undefined;
  /** The request id, set by `requestId()`. */
  requestId: string | undefined;
  /**
   * The level the error handler logged the request's outcome at, when it handled one; the
   * access log writes the request's line at the same level (an expected outcome, such as an
   * injected fault, stays at `info` in both).
   */
  outcomeLevel: 'error' | 'warn' | 'info' | undefined;
  /** @internal handlers to run at the end, in registration order. */
  handlers: ResponseEndHandler[];
}

interface Carrier {
  [recordKey]?: RequestRecord;
}

/**
 * The record of a request, created on first use and stored on both `req` and `res`. The first
 * caller also adds the ONE `close` listener of the response that runs every
 * {@link onResponseEnd} handler: the server span, the metrics middleware and the access log
 * used to add one listener and one closure each per request.
 */
export function requestRecord(req: object, res: object): RequestRecord {
  const existing = (req as Carrier)[recordKey];
  if (existing !== undefined) return existing;
  const record: RequestRecord = {
    req,
    startedAt: performance.now(),
    spanContext: undefined,
    span: undefined,
    requestId: undefined,
    outcomeLevel: undefined,
    handlers: [],
  };
  (req as Carrier)[recordKey] = record;
  (res as Carrier)[recordKey] = record;
  // Through the prototype's `on`: a listener wrapper some instrumentation may install on
  // `res.on` is not needed here. `close` comes once per response, so `on` is `once` without
  // the wrapper `once` allocates.
  addListener.call(res, 'close', runResponseEnd);
  return record;
}

/** The record of a request if one was created, else `undefined`. */
export function findRequestRecord(reqOrRes: object): RequestRecord | undefined {
  return (reqOrRes as Carrier)[recordKey];
}

/**
 * Registers `handler` to run once when `res` closes. `handler` should be created once (per
 * middleware), not per request: it gets the request, the response, the shared record and
 * whether the client went away before the response was complete.
 */
export function onResponseEnd(req: object, res: object, handler: ResponseEndHandler): RequestRecord {
  const record = requestRecord(req, res);
  record.handlers.push(handler);
  return record;
}

function runResponseEnd(this: object): void {
  const record = (this as Carrier)[recordKey];
  if (record === undefined) return;
  const aborted = !(this as { writableFinished?: boolean }).writableFinished;
  const { handlers, req } = record;
  let failure: { error: unknown } | undefined;
  for (const handler of handlers) {
    try {
      handler(req, this, record, aborted);
    } catch (error) {
      failure ??= { error };
    }
  }
  // One failing handler (a logger that throws, say) must not keep the others from running;
  // the first error is still reported, as a throwing listener would have been.
  if (failure !== undefined) throw failure.error;
}
