import type { IncomingMessage as Request, Server, ServerResponse as Response } from 'node:http';
import type { Socket } from 'node:net';
import type { Attributes, Span } from '@opentelemetry/api';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { RequestRecord } from '../route/request-record.ts';
import { findRequestRecord, requestRecord } from '../route/request-record.ts';
import { captureRouteTemplates, routeTemplate } from '../route/route-template.ts';
import { semconvMethod } from '../route/http-method.ts';
import type { ChannelSubscription } from './channel-instrumentation.ts';
import { ChannelInstrumentation } from './channel-instrumentation.ts';

/** What `node:http` publishes on `http.server.request.start` and `http.server.response.finish`. */
interface ServerMessage {
  request: Request;
  response: Response;
  socket: Socket;
  server: Server;
}

/** Settings of {@link InboundHttpInstrumentation}. */
export interface InboundHttpOptions {
  /**
   * Request paths (exact, without query string) that get no span; their handling runs with
   * tracing suppressed, so nothing they call is traced either.
   * @default []
   */
  ignoredPaths?: readonly string[];
}

/**
 * The SERVER span of every inbound HTTP(S) request, from the diagnostics channels `node:http`
 * publishes (Node ≥ 22.12), in place of `@opentelemetry/instrumentation-http`'s inbound half:
 * no module hook, nothing patched, so it works whether `node:http` loaded before or after.
 *
 * - `http.server.request.start` (published right before the server emits `request`): extracts
 *   the parent from the headers with the global propagator (W3C `traceparent`), starts the span
 *   (`http.request.method`, `url.path`, `url.scheme`, `server.port`, `client.address`,
 *   `user_agent.original`, `network.protocol.version`) and makes it the active context for
 *   the `request` emit that follows, with `context.attach` (the OpenTelemetry API's bridge for
 *   callbacks `context.with` cannot wrap: here, the server's own call of its listeners).
 *   A request with a body is bound to that context with `context.bind`, so that its listeners
 *   (a body arriving in a later packet is emitted from the connection's context) run in it;
 *   the response's events already come from writes started in it. A request without a body is
 *   not bound: its `end` runs in the span's context, but a `close` listener on it that fires
 *   because the client went away runs in the connection's.
 * - `http.server.response.finish`: ends the span with `http.response.status_code`, the route
 *   template as `http.route` and in the name (`GET /users/:id`), status ERROR for 5xx.
 * - A response that closes without finishing (the client went away) ends the span from the
 *   request record's one `close` listener, with `error.type` `aborted`.
 *
 * HTTP/2 servers publish other channels: see `InboundHttp2Instrumentation`.
 */
export class InboundHttpInstrumentation extends ChannelInstrumentation {
  readonly instrumentationName = '@shipshape/observability/inbound-http';
  readonly #ignored: ReadonlySet<string>;

  constructor(options: InboundHttpOptions = {}) {
    super();
    this.#ignored = new Set(options.ignoredPaths ?? []);
  }

  override enable(): void {
    captureRouteTemplates();
    super.enable();
  }

  protected subscriptions(): readonly ChannelSubscription[] {
    return [
      ['http.server.request.start', this.#onStart],
      ['http.server.response.finish', onFinish],
    ];
  }

  readonly #onStart = (message: unknown): void => {
    const { request: req, response: res, socket } = message as ServerMessage;
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (this.#ignored.has(path)) {
      context.attach(suppressTracing(ROOT_CONTEXT));
      return;
    }
    const rawMethod = req.method ?? 'GET';
    const method = semconvMethod(rawMethod);
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    // The sampler sees the method and the path; the other attributes are read only for a
    // span that records (a 10%-sampled service skips them for nine requests in ten).
    const span = this.tracer.startSpan(
      method === '_OTHER' ? 'HTTP' : method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path } },
      parent,
    );
    if (span.isRecording()) {
      const attributes: Attributes = {
        'url.scheme': (socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http',
        'server.port': socket.localPort,
        'client.address': socket.remoteAddress,
        'network.protocol.version': req.httpVersion,
      };
      const userAgent = req.headers['user-agent'];
      if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
      if (method !== rawMethod) attributes['http.request.method_original'] = rawMethod;
      span.setAttributes(attributes);
    }
    const active = trace.setSpan(parent, span);
    // A body arriving in a later packet is emitted from the connection's context: the
    // listeners of a request that has a body are bound. Binding wraps every listener, a few
    // µs per request, so a request without one (no `content-length` above 0, no
    // `transfer-encoding`: most GETs) is left alone; its `end` comes from the packet its
    // headers came in, in this context. `res` needs no binding: its `finish` and `close` come
    // from writes started in the request's context (a test checks both).
    if (mayHaveBody(req)) context.bind(active, req);
    // The span ends on `finish`; the record's one `close` listener (shared with the metrics
    // middleware and the access log) ends it when the client went away first.
    const record = requestRecord(req, res);
    record.span = span;
    record.spanContext = span.spanContext();
    record.handlers.push(endAbortedSpan);
    // Not disposed: the server calls its `request` listeners right after this message, in the
    // same synchronous callback, and Node restores the connection's context when it returns.
    context.attach(active);
  };
}

/** Whether a request announces a body (RFC 9112: `content-length` or `transfer-encoding`). */
function mayHaveBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function onFinish(message: unknown): void {
  const { request: req, response: res } = message as ServerMessage;
  const record = findRequestRecord(req);
  const span = record?.span as Span | undefined;
  if (record === undefined || span === undefined) return;
  record.span = undefined;
  endServerSpan(span, req, res.statusCode, false);
}

function endAbortedSpan(request: object, response: object, record: RequestRecord): void {
  const span = record.span as Span | undefined;
  if (span === undefined) return;
  record.span = undefined;
  endServerSpan(span, request as Request, (response as Response).statusCode, true);
}

function endServerSpan(span: Span, req: Request, status: number, aborted: boolean): void {
  if (!span.isRecording()) {
    span.end();
    return;
  }
  span.setAttribute('http.response.status_code', status);
  const route = routeTemplate(req);
  if (route !== undefined) {
    span.setAttribute('http.route', route);
    span.updateName(spanName(semconvMethod(req.method ?? 'GET'), route));
  }
  if (status >= 500) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  } else if (aborted) {
    // The client went away before the response was complete.
    span.setAttribute('error.type', 'aborted');
  }
  span.end();
}

// `GET /users/:id` per method and route template, built once: both are closed sets.
const spanNames = new Map<string, Map<string, string>>();

function spanName(method: string, route: string): string {
  let byRoute = spanNames.get(method);
  if (byRoute === undefined) spanNames.set(method, (byRoute = new Map<string, string>()));
  let name = byRoute.get(route);
  if (name === undefined) byRoute.set(route, (name = `${method === '_OTHER' ? 'HTTP' : method} ${route}`));
  return name;
}
