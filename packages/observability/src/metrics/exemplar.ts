import { TraceFlags, isSpanContextValid, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import type { Histogram, LabelValues } from 'prom-client';
import { EXEMPLAR_LABEL } from './names.ts';

/**
 * The exemplar labels (`trace_id`, `span_id`) of a span context, or undefined when there is no
 * valid, sampled span: an unsampled trace never reaches Jaeger, so its exemplar would link to
 * nothing.
 */
export function traceExemplar(
  spanContext: SpanContext | undefined = trace.getActiveSpan()?.spanContext(),
): Record<string, string> | undefined {
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  if ((spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return undefined;
  return {
    [EXEMPLAR_LABEL.traceId]: spanContext.traceId,
    [EXEMPLAR_LABEL.spanId]: spanContext.spanId,
  };
}

/**
 * Observes `seconds` in `histogram` and, when a sampled span is known (the given one, else the
 * active one), keeps it as the exemplar of the bucket the value lands in. Exemplars appear in
 * OpenMetrics scrapes only.
 */
export function observeWithTrace<L extends string>(
  histogram: Histogram<L>,
  labels: Record<L, string>,
  seconds: number,
  spanContext?: SpanContext,
): void {
  const exemplarLabels = traceExemplar(spanContext ?? trace.getActiveSpan()?.spanContext());
  if (exemplarLabels) {
    histogram.observe({
      labels,
      value: seconds,
      // prom-client types exemplar labels as the metric's own label names; any names are valid.
      exemplarLabels: exemplarLabels as LabelValues<L>,
    });
  } else {
    histogram.observe({ labels, value: seconds });
  }
}
