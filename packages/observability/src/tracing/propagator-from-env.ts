import type { TextMapPropagator } from '@opentelemetry/api';
import { diag } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Env } from './env.ts';
import { listFromEnv } from './env.ts';

/**
 * The propagator `OTEL_PROPAGATORS` names, as NodeSDK builds it: unset means W3C
 * `tracecontext,baggage`; `none` means none (`null`: no headers read or written); `b3`
 * (single header) and `b3multi` load `@opentelemetry/propagator-b3` on demand; unknown names
 * are skipped with a warning.
 */
export async function propagatorFromEnv(env: Env): Promise<TextMapPropagator | null> {
  const names = [...new Set(listFromEnv(env, 'OTEL_PROPAGATORS') ?? ['tracecontext', 'baggage'])];
  if (names.includes('none')) return null;
  const b3 = names.some((name) => name === 'b3' || name === 'b3multi')
    ? await import('@opentelemetry/propagator-b3')
    : undefined;
  const propagators: TextMapPropagator[] = [];
  for (const name of names) {
    if (name === 'tracecontext') propagators.push(new W3CTraceContextPropagator());
    else if (name === 'baggage') propagators.push(new W3CBaggagePropagator());
    else if (name === 'b3' && b3) propagators.push(new b3.B3Propagator());
    else if (name === 'b3multi' && b3) {
      propagators.push(new b3.B3Propagator({ injectEncoding: b3.B3InjectEncoding.MULTI_HEADER }));
    } else diag.warn(`Propagator "${name}" requested through environment variable is unavailable.`);
  }
  if (propagators.length === 0) return null;
  return propagators.length === 1 ? propagators[0]! : new CompositePropagator({ propagators });
}
