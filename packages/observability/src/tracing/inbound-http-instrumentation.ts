import type { IncomingMessage as Request, ServerResponse as Response } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Attributes, Span, Tracer, TracerProvider } from '@opentelemetry/api';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { RequestRecord } from '../route/request-record.ts';
import { requestRecord } from '../route/request-record.ts';
import { captureRouteTemplates, routeTemplate } from '../route/route-template.ts';
import { semconvMethod } from '../route/http-method.ts';
import type { Emit } from './emitter-context.ts';
import { bindEmitterContext, patchEmit, useContextualEmit } from './emitter-context.ts';

// `process.getBuiltinModule`, not `import … from 'node:http'`: an ES import of node:http builds
// its namespace, and reading every export runs Node's lazy `http.WebSocket` getters, which load
// undici, tls, http2, zlib and worker_threads (see route-template.ts).
const { IncomingMessage, ServerResponse } = process.getBuiltinModule('node:http');

/** Settings of {@link InboundHttpInstrumentation}. */
export interface InboundHttpConfig extends InstrumentationConfig {
  /**
   * Request paths (exact, without query string) that get no span; their handling runs with
   * tracing suppressed, so nothing they call is traced either.
   * @default []
   */
  ignoredPaths?: readonly string[];
}

/**
 * The SERVER span of every inbound HTTP request, in place of `@opentelemetry/instrumentation-http`'s
 * inbound half, which cost ≈50 µs per request here (attribute parsing, metrics bookkeeping, and
 * binding `req` and `res` so that every listener added to them gets wrapped through a WeakMap).
 *
 * What it does, per request:
 * - extracts the parent from the headers with the global propagator (W3C `traceparent`);
 * - starts the span (`http.request.method`, `url.path`, `url.scheme`, `server.port`,
 *   `client.address`, `user_agent.original`, `network.protocol.version`) and runs the
 *   server's `request` emit inside its context;
 * - ends it on the response's `close` (the one listener the request record shares with the
 *   metrics middleware and the access log, not wrapped) with
 *   `http.response.status_code`, the route template as `http.route` and as name
 *   (`GET /users/:id`), and status ERROR for 5xx;
 * - keeps the request context across `req`/`res` events (a request body arriving in a later
 *   TCP packet is emitted from the connection's context, not the request's) with
 *   `bindEmitterContext`, instead of wrapping each listener.
 *
 * Nothing is loaded or hooked for it: it patches `net.Server.prototype.emit`, which every
 * `http`, `https` and `http2` compatibility server inherits, whenever it is enabled, whether
 * `node:http` was loaded before or after.
 */
export class InboundHttpInstrumentation implements Instrumentation<InboundHttpConfig> {
  readonly instrumentationName = '@shipshape/observability/inbound-http';
  readonly instrumentationVersion = '1.0.0';
  #config: InboundHttpConfig;
  #tracer: Tracer;
  #ignored: ReadonlySet<string>;
  #restore: (() => void) | undefined;

  constructor(config: InboundHttpConfig = {}) {
    this.#config = { ...config, enabled: false };
    this.#ignored = new Set(config.ignoredPaths ?? []);
    this.#tracer = trace.getTracer(this.instrumentationName, this.instrumentationVersion);
  }

  setTracerProvider(tracerProvider: TracerProvider): void {
    this.#tracer = tracerProvider.getTracer(this.instrumentationName, this.instrumentationVersion);
  }

  setMeterProvider(): void {
    // Records no metrics: `httpServerMetrics` does, with the contract's names.
  }

  setConfig(config: InboundHttpConfig): void {
    this.#config = { ...config, enabled: this.#config.enabled };
    this.#ignored = new Set(config.ignoredPaths ?? []);
  }

  getConfig(): InboundHttpConfig {
    return this.#config;
  }

  enable(): void {
    if (this.#restore !== undefined) return;
    captureRouteTemplates();
    const restoreServer = patchEmit(NetServer.prototype, (emit) => this.#serverEmit(emit));
    const releaseEmit = useContextualEmit();
    this.#restore = () => {
      restoreServer();
      releaseEmit();
    };
    this.#config = { ...this.#config, enabled: true };
  }

  disable(): void {
    this.#restore?.();
    this.#restore = undefined;
    this.#config = { ...this.#config, enabled: false };
  }

  #serverEmit(emit: Emit): Emit {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the patched emit needs both
    const instrumentation = this;
    return function serverEmit(this: unknown, event, ...args) {
      const req = args[0];
      const res = args[1];
      if (
        event !== 'request' ||
        instrumentation.#restore === undefined ||
        !(req instanceof IncomingMessage) ||
        !(res instanceof ServerResponse)
      ) {
        return emit.apply(this, [event, ...args]);
      }
      return instrumentation.#handle(this, emit, event, req, res as Response, args);
    };
  }

  #handle(server: unknown, emit: Emit, event: string, req: Request, res: Response, args: unknown[]): boolean {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (this.#ignored.has(path)) {
      const quiet = suppressTracing(context.active());
      bindEmitterContext(req, quiet);
      bindEmitterContext(res, quiet);
      return context.with(quiet, emit, server, event, ...args);
    }
    const rawMethod = req.method ?? 'GET';
    const method = semconvMethod(rawMethod);
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    // The sampler sees the method and the path; the other attributes are read and cleaned
    // only for a span that records (a 10%-sampled service skips them for nine requests in ten).
    const span = this.#tracer.startSpan(
      method === '_OTHER' ? 'HTTP' : method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path } },
      parent,
    );
    if (span.isRecording()) {
      const socket = req.socket;
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
    bindEmitterContext(req, active);
    bindEmitterContext(res, active);
    // The response's one `close` listener, shared with the metrics middleware and the access
    // log, ends the span; they read its ids from the record, no closure per request.
    const record = requestRecord(req, res);
    record.span = span;
    record.spanContext = span.spanContext();
    record.handlers.push(endServerSpan);
    try {
      return context.with(active, emit, server, event, ...args);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    }
  }
}

function endServerSpan(request: object, response: object, record: RequestRecord, aborted: boolean): void {
  const span = record.span as Span;
  if (!span.isRecording()) {
    span.end();
    return;
  }
  const req = request as Request;
  const res = response as Response;
  const rawMethod = req.method ?? 'GET';
  const method = semconvMethod(rawMethod);
  const status = res.statusCode;
  span.setAttribute('http.response.status_code', status);
  const route = routeTemplate(req);
  if (route !== undefined) {
    span.setAttribute('http.route', route);
    span.updateName(spanName(method, route));
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
