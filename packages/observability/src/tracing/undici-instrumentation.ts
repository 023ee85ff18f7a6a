import type { Attributes, Span } from '@opentelemetry/api';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { carriesTraceContext } from './carries-trace-context.ts';
import type { ChannelSubscription } from './channel-instrumentation.ts';
import { ChannelInstrumentation } from './channel-instrumentation.ts';

const spanKey = Symbol('@shipshape/observability/undici-span');
const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH']);
const defaultPorts: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** What undici publishes of a request (undici 6+ and the copy inside Node's `fetch`). */
interface UndiciRequest {
  origin: string | URL;
  method: string;
  path: string;
  headers: unknown;
  addHeader?(name: string, value: string): unknown;
  [spanKey]?: Span;
}

/**
 * A CLIENT span for every request made with undici or Node's global `fetch()` (which carries
 * its own undici), with `traceparent` injected, from undici's diagnostics channels
 * (`undici:request:create`, `:headers`, `:trailers`, `:error`), the same ones
 * `@opentelemetry/instrumentation-undici` reads. Unlike that package it needs no base class
 * that installs `require-in-the-middle`'s hook on every later `require` (≈30 ms of start-up
 * while express loads, here), so it costs nothing until a request is made.
 *
 * Left alone: `CONNECT` (a tunnel, not a request), calls made while tracing is suppressed, and
 * requests that already carry a `traceparent` (the `@shipshape/resilience` service client's,
 * under its own CLIENT span: a second header would make the server ignore both).
 *
 * Span: `GET` (or `HTTP` for other methods), `http.request.method`, `url.full` without the
 * query string (which may carry tokens), `server.address`, `server.port`,
 * `http.response.status_code`; status ERROR and `error.type` for 4xx/5xx and failures; an
 * aborted request just ends its span.
 */
export class UndiciInstrumentation extends ChannelInstrumentation {
  readonly instrumentationName = '@shipshape/observability/undici';

  readonly #onCreate = (message: unknown): void => {
    const request = (message as { request: UndiciRequest }).request;
    const parent = context.active();
    if (request.method === 'CONNECT' || isTracingSuppressed(parent) || carriesTraceContext(request.headers)) {
      return;
    }
    let url: URL;
    try {
      url = new URL(request.path, request.origin);
    } catch {
      return;
    }
    const method = knownMethods.has(request.method) ? request.method : '_OTHER';
    const attributes: Attributes = {
      'http.request.method': method,
      'url.full': `${url.origin}${url.pathname}`,
      'server.address': url.hostname,
      'server.port': url.port === '' ? defaultPorts[url.protocol] : Number(url.port),
    };
    if (method === '_OTHER') attributes['http.request.method_original'] = request.method;
    const span = this.tracer.startSpan(
      method === '_OTHER' ? 'HTTP' : method,
      { kind: SpanKind.CLIENT, attributes },
      parent,
    );
    request[spanKey] = span;
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(parent, span), carrier);
    for (const [name, value] of Object.entries(carrier)) addHeader(request, name, value);
  };

  readonly #onHeaders = (message: unknown): void => {
    const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
    const span = request[spanKey];
    if (span === undefined) return;
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 400) {
      span.setAttribute('error.type', String(response.statusCode));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  };

  readonly #onDone = (message: unknown): void => {
    const { request } = message as { request: UndiciRequest };
    request[spanKey]?.end();
    delete request[spanKey];
  };

  readonly #onError = (message: unknown): void => {
    const { request, error } = message as { request: UndiciRequest; error: Error & { code?: string } };
    const span = request[spanKey];
    if (span === undefined) return;
    delete request[spanKey];
    if (error.name !== 'AbortError') {
      span.recordException(error);
      span.setAttribute('error.type', error.code ?? error.name);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    }
    span.end();
  };

  protected subscriptions(): readonly ChannelSubscription[] {
    return [
      ['undici:request:create', this.#onCreate],
      ['undici:request:headers', this.#onHeaders],
      ['undici:request:trailers', this.#onDone],
      ['undici:request:error', this.#onError],
    ];
  }
}

/** Adds a header the way the request's undici version allows. */
function addHeader(request: UndiciRequest, name: string, value: string): void {
  if (typeof request.addHeader === 'function') request.addHeader(name, value);
  else if (typeof request.headers === 'string') request.headers += `${name}: ${value}\r\n`;
  else if (Array.isArray(request.headers)) request.headers.push(name, value);
}
