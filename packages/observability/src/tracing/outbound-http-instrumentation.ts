import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Attributes, Span } from '@opentelemetry/api';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { ChannelSubscription } from './channel-instrumentation.ts';
import { ChannelInstrumentation } from './channel-instrumentation.ts';

const spanKey = Symbol('@shipshape/observability/client-span');
const knownMethods = new Set([
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

interface WithSpan {
  [spanKey]?: Span;
}

/**
 * A CLIENT span for every outgoing `node:http`/`node:https` request, with `traceparent`
 * injected, in place of `@opentelemetry/instrumentation-http`'s outgoing half. It needs no
 * module hook: Node publishes `http.client.request.created` (while the headers can still be
 * set), `http.client.response.finish` and `http.client.request.error` on diagnostics
 * channels. `@opentelemetry/instrumentation-http` is ≈50 ES modules and a
 * require/import hook on `http` and `https`, a large share of the tracing start-up.
 *
 * Calls made while tracing is suppressed (the OTLP exporter's own requests) get no span.
 * Response callbacks need no context binding: Node runs them in the caller's context, also on
 * a reused keep-alive socket (checked by a test).
 */
export class OutboundHttpInstrumentation extends ChannelInstrumentation {
  readonly instrumentationName = '@shipshape/observability/outbound-http';

  readonly #onCreated = (message: unknown): void => {
    const request = (message as { request: ClientRequest }).request;
    const parent = context.active();
    if (isTracingSuppressed(parent)) return;
    const rawMethod = request.method;
    const method = knownMethods.has(rawMethod) ? rawMethod : '_OTHER';
    const hostHeader = request.getHeader('host');
    const authority = typeof hostHeader === 'string' ? hostHeader : request.host;
    const queryAt = request.path.indexOf('?');
    const attributes: Attributes = {
      'http.request.method': method,
      'server.address': request.host,
      // Without the query string, which may carry tokens.
      'url.full': `${request.protocol}//${authority}${queryAt === -1 ? request.path : request.path.slice(0, queryAt)}`,
    };
    const span = this.tracer.startSpan(
      method === '_OTHER' ? 'HTTP' : method,
      { kind: SpanKind.CLIENT, attributes },
      parent,
    );
    (request as WithSpan)[spanKey] = span;
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(parent, span), carrier);
    for (const [name, value] of Object.entries(carrier)) request.setHeader(name, value);
  };

  readonly #onResponse = (message: unknown): void => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const span = (request as WithSpan)[spanKey];
    if (span === undefined) return;
    const status = response.statusCode ?? 0;
    span.setAttribute('http.response.status_code', status);
    if (status >= 400) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  };

  readonly #onError = (message: unknown): void => {
    const { request, error } = message as { request: ClientRequest; error: Error };
    const span = (request as WithSpan)[spanKey];
    if (span === undefined) return;
    span.recordException(error);
    span.setAttribute('error.type', (error as { code?: string }).code ?? error.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    span.end();
  };

  protected subscriptions(): readonly ChannelSubscription[] {
    return [
      ['http.client.request.created', this.#onCreated],
      ['http.client.response.finish', this.#onResponse],
      ['http.client.request.error', this.#onError],
    ];
  }
}
