import type { Attributes, Span } from '@opentelemetry/api';
import { context } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { carriesTraceContext } from './carries-trace-context.ts';
import type { ChannelSubscription } from './channel-instrumentation.ts';
import { ChannelInstrumentation } from './channel-instrumentation.ts';
import { recordRequestFailure, recordResponseStatus, startClientSpan } from './http-spans.ts';

const spanKey = Symbol('@shipshape/observability/undici-span');
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
    const attributes: Attributes = {
      'url.full': `${url.origin}${url.pathname}`,
      'server.address': url.hostname,
      'server.port': url.port === '' ? defaultPorts[url.protocol] : Number(url.port),
    };
    const { span, headers } = startClientSpan(this.tracer, parent, request.method, attributes);
    request[spanKey] = span;
    for (const [name, value] of Object.entries(headers)) addHeader(request, name, value);
  };

  readonly #onHeaders = (message: unknown): void => {
    const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
    const span = request[spanKey];
    if (span === undefined) return;
    recordResponseStatus(span, response.statusCode);
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
    if (error.name !== 'AbortError') recordRequestFailure(span, error);
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
