import { trace } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';

/**
 * Adds an event to the active span, if any. Resilience events fire synchronously inside
 * `execute`, so the active span is the caller's: a retry shows up on the span of the request
 * that retried.
 */
export function addSpanEvent(name: string, attributes: Attributes): void {
  trace.getActiveSpan()?.addEvent(name, attributes);
}
