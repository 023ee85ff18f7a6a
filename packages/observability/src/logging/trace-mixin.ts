import { isSpanContextValid, trace } from '@opentelemetry/api';
import { getRequestId } from './request-context.ts';

/** The correlation fields the logger adds to every line. */
export interface CorrelationFields {
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
  request_id?: string;
}

/**
 * The pino `mixin`: trace and span id of the active span (W3C hex, the form Jaeger and Grafana
 * search by) and the request id. Two AsyncLocalStorage reads and one small object per line,
 * none for a line whose fields already carry `trace_id`. The object must be fresh: pino merges
 * the call's fields into it.
 *
 * Chosen over `@opentelemetry/instrumentation-pino`, which does the same injection but must
 * patch pino at load time (the ESM hook must then intercept pino, and `createLogger` would only
 * correlate when the register entry ran first) and, by default, also forwards every record to
 * the OTel Logs API. The mixin works with or without the SDK and costs nothing when disabled.
 */
export function correlationMixin(mergeObject?: object): CorrelationFields {
  // A line that brings its own ids (the access line takes them from the request record) needs
  // no lookup: its fields win over the mixin's anyway.
  if (mergeObject !== undefined && 'trace_id' in mergeObject) return {};
  const spanContext = trace.getActiveSpan()?.spanContext();
  const requestId = getRequestId();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) {
    return requestId === undefined ? {} : { request_id: requestId };
  }
  const fields: CorrelationFields = {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: spanContext.traceFlags.toString(16).padStart(2, '0'),
  };
  if (requestId !== undefined) fields.request_id = requestId;
  return fields;
}
