// What the HTTP span instrumentations share: the steps of a CLIENT span (start with the
// context headers, response status, failure).
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import { propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { semconvMethod } from '../route/http-method.ts';

/**
 * Starts the CLIENT span of an outgoing request under `parent`, named after its method (`GET`,
 * or `HTTP` for methods the conventions do not know, with `http.request.method_original`), and
 * returns it with the headers (`traceparent`, `baggage`) that carry its context. Shared by the
 * `node:http` and the undici/`fetch` instrumentations.
 */
export function startClientSpan(
  tracer: Tracer,
  parent: Context,
  rawMethod: string,
  attributes: Attributes,
): { span: Span; headers: Record<string, string> } {
  const method = semconvMethod(rawMethod);
  attributes['http.request.method'] = method;
  if (method === '_OTHER') attributes['http.request.method_original'] = rawMethod;
  const span = tracer.startSpan(
    method === '_OTHER' ? 'HTTP' : method,
    { kind: SpanKind.CLIENT, attributes },
    parent,
  );
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  return { span, headers };
}

/** Records the response status on a client span: `error.type` and status ERROR from 400 on. */
export function recordResponseStatus(span: Span, status: number): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 400) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

/** Records a failed request on a client span: the exception, `error.type` (its code, else its name), status ERROR. */
export function recordRequestFailure(span: Span, error: Error & { code?: string }): void {
  span.recordException(error);
  span.setAttribute('error.type', error.code ?? error.name);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}
