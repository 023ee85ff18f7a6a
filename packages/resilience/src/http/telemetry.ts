import type * as OtelApi from '@opentelemetry/api';

// @opentelemetry/api is an optional peer: without it the client works and simply does not
// trace. Loaded once; the API itself is a no-op until an SDK is registered.
const api: typeof OtelApi | undefined = await import('@opentelemetry/api').catch(() => undefined);
// One tracer for the process: the API's proxy tracer follows an SDK registered later on.
const tracer = api?.trace.getTracer('@shipshape/resilience');

/** What an attempt needs to describe itself in a span. */
export interface AttemptSpanInfo {
  service: string;
  method: string;
  address: string;
  port: number;
  url: string;
  attempt: number;
  /** Index of the attempt in its hedged round (0 = the first), when the call is hedged. */
  hedge?: number | undefined;
}

/** How an attempt of a hedged call ended: its answer was taken, or another attempt's was. */
export type HedgeOutcome = 'won' | 'lost';

/** A started client span: finish it with the status or the error of the attempt. */
export interface AttemptSpan {
  /** Runs `fn` with this span as the active one (so transport instrumentation nests under it). */
  run<T>(fn: () => T): T;
  end(
    outcome: ({ status: number } | { error: unknown; errorType: string }) & {
      hedge?: HedgeOutcome | undefined;
    },
  ): void;
}

const noSpan: AttemptSpan = { run: (fn) => fn(), end: () => undefined };

/**
 * Starts a CLIENT span for one attempt (attribute names from the OTel HTTP semantic
 * conventions; `http.request.resend_count` is set on retries and hedges; a hedged call's
 * attempts carry `resilience.hedge.index` and `resilience.hedge.outcome` = `won` | `lost`) and injects `traceparent` /
 * `tracestate` / `baggage` into `headers` so the upstream's server span is its child.
 */
export function startAttemptSpan(info: AttemptSpanInfo, headers: Record<string, string>): AttemptSpan {
  if (api === undefined || tracer === undefined) return noSpan;
  const parent = api.context.active();
  const span = tracer.startSpan(
    info.method,
    {
      kind: api.SpanKind.CLIENT,
      attributes: {
        'http.request.method': info.method,
        'server.address': info.address,
        'server.port': info.port,
        'url.full': info.url,
        'peer.service': info.service,
        ...(info.attempt > 1 ? { 'http.request.resend_count': info.attempt - 1 } : {}),
        ...(info.hedge !== undefined ? { 'resilience.hedge.index': info.hedge } : {}),
      },
    },
    parent,
  );
  const active = api.trace.setSpan(parent, span);
  api.propagation.inject(active, headers);
  const { SpanStatusCode, context } = api;
  return {
    run: (fn) => context.with(active, fn),
    end(outcome) {
      if (outcome.hedge !== undefined) span.setAttribute('resilience.hedge.outcome', outcome.hedge);
      if ('status' in outcome) {
        span.setAttribute('http.response.status_code', outcome.status);
        if (outcome.status >= 500) {
          span.setAttribute('error.type', String(outcome.status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
      } else if (outcome.hedge === 'lost') {
        // Cancelled because another attempt answered first: the call's design, not an error.
        span.setAttribute('error.type', 'superseded');
      } else {
        span.setAttribute('error.type', outcome.errorType);
        if (outcome.error instanceof Error) span.recordException(outcome.error);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    },
  };
}
