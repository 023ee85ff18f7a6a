import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { Attributes, Span } from '@opentelemetry/api';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { semconvMethod } from '../route/http-method.ts';
import type { ChannelSubscription } from './channel-instrumentation.ts';
import { ChannelInstrumentation } from './channel-instrumentation.ts';
import type { InboundHttpOptions } from './inbound-http-instrumentation.ts';

/** What `node:http2` publishes on `http2.server.stream.start`. */
interface StreamStart {
  stream: ServerHttp2Stream;
  headers: IncomingHttpHeaders;
}

/** What `node:http2` publishes on `http2.server.stream.close`. */
interface StreamClose {
  stream: ServerHttp2Stream;
}

/**
 * The SERVER span of every inbound HTTP/2 request (stream), from the diagnostics channels
 * `node:http2` publishes (Node 24; releases without them stay silent and this does
 * nothing). The HTTP/1.1 counterpart of {@link InboundHttpInstrumentation}:
 *
 * - `http2.server.stream.start` (published right before the server emits `stream`, and with it
 *   the compatibility API's `request`): extracts the parent from the headers, starts the span
 *   (`http.request.method`, `url.path`, `url.scheme`, `server.port`, `client.address`,
 *   `user_agent.original`, `network.protocol.version` `2`) and makes it the active context
 *   for the handlers that follow, with `context.attach`; the stream is bound to it, so that a
 *   body arriving in a later frame is emitted in it.
 * - `http2.server.stream.close`: ends the span with `http.response.status_code` (the `:status`
 *   sent), status ERROR for 5xx, `error.type` `aborted` for a stream reset before a response.
 *
 * No route template: express does not serve HTTP/2, so the span is named after the method.
 */
export class InboundHttp2Instrumentation extends ChannelInstrumentation {
  readonly instrumentationName = '@shipshape/observability/inbound-http2';
  readonly #ignored: ReadonlySet<string>;
  readonly #spans = new WeakMap<ServerHttp2Stream, Span>();

  constructor(options: InboundHttpOptions = {}) {
    super();
    this.#ignored = new Set(options.ignoredPaths ?? []);
  }

  protected subscriptions(): readonly ChannelSubscription[] {
    return [
      ['http2.server.stream.start', this.#onStart],
      ['http2.server.stream.close', this.#onClose],
    ];
  }

  readonly #onStart = (message: unknown): void => {
    const { stream, headers } = message as StreamStart;
    const url = headers[':path'] ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (this.#ignored.has(path)) {
      context.attach(suppressTracing(ROOT_CONTEXT));
      return;
    }
    const rawMethod = headers[':method'] ?? 'GET';
    const method = semconvMethod(rawMethod);
    const parent = propagation.extract(ROOT_CONTEXT, headers);
    const span = this.tracer.startSpan(
      method === '_OTHER' ? 'HTTP' : method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path } },
      parent,
    );
    if (span.isRecording()) {
      const socket = stream.session?.socket;
      const attributes: Attributes = {
        'url.scheme': headers[':scheme'] ?? 'http',
        'server.port': socket?.localPort,
        'client.address': socket?.remoteAddress,
        'network.protocol.version': '2',
      };
      const userAgent = headers['user-agent'];
      if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
      if (method !== rawMethod) attributes['http.request.method_original'] = rawMethod;
      span.setAttributes(attributes);
    }
    this.#spans.set(stream, span);
    const active = trace.setSpan(parent, span);
    context.bind(active, stream);
    // As for HTTP/1.1: the server emits `stream` right after this message, in the same
    // synchronous callback, and Node restores the session's context when it returns.
    context.attach(active);
  };

  readonly #onClose = (message: unknown): void => {
    const { stream } = message as StreamClose;
    const span = this.#spans.get(stream);
    if (span === undefined) return;
    this.#spans.delete(stream);
    if (!span.isRecording()) {
      span.end();
      return;
    }
    const sent = stream.sentHeaders as IncomingHttpHeaders | undefined;
    const status = Number(sent?.[':status']);
    if (Number.isInteger(status)) span.setAttribute('http.response.status_code', status);
    if (status >= 500) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    } else if (!stream.writableFinished) {
      // Reset (the client went away, or the server destroyed the stream) before the response
      // was complete.
      span.setAttribute('error.type', 'aborted');
    }
    span.end();
  };
}
