import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Attributes, Span } from '@opentelemetry/api';
import { context } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { ChannelSubscription } from './channel-instrumentation.ts';
import { ChannelInstrumentation } from './channel-instrumentation.ts';
import { recordRequestFailure, recordResponseStatus, startClientSpan } from './http-spans.ts';

const spanKey = Symbol('@shipshape/observability/client-span');

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
    const hostHeader = request.getHeader('host');
    const authority = typeof hostHeader === 'string' ? hostHeader : request.host;
    const queryAt = request.path.indexOf('?');
    const attributes: Attributes = {
      'server.address': request.host,
      // Without the query string, which may carry tokens.
      'url.full': `${request.protocol}//${authority}${queryAt === -1 ? request.path : request.path.slice(0, queryAt)}`,
    };
    const { span, headers } = startClientSpan(this.tracer, parent, request.method, attributes);
    (request as WithSpan)[spanKey] = span;
    for (const [name, value] of Object.entries(headers)) request.setHeader(name, value);
  };

  readonly #onResponse = (message: unknown): void => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const span = (request as WithSpan)[spanKey];
    if (span === undefined) return;
    recordResponseStatus(span, response.statusCode ?? 0);
    span.end();
  };

  readonly #onError = (message: unknown): void => {
    const { request, error } = message as { request: ClientRequest; error: Error };
    const span = (request as WithSpan)[spanKey];
    if (span === undefined) return;
    recordRequestFailure(span, error);
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
