import { createInstrumentations } from './create-instrumentations.ts';
import { isSdkDisabled } from './env.ts';
import { getTracing } from './global-tracing.ts';
import type { Tracing } from './tracing.ts';
import { disabledTracing } from './tracing.ts';
import type { TracingOptions } from './tracing-options.ts';

/**
 * Starts the OpenTelemetry tracing SDK in this process: tracer provider with the resource and
 * sampler, W3C `traceparent` + `baggage` propagation, AsyncLocalStorage context, and the explicit
 * instrumentations. Honours `OTEL_SDK_DISABLED=true` by resolving to a no-op.
 *
 * Asynchronous because the SDK and the instrumentation packages are loaded here, on demand:
 * importing `@shipshape/observability` for its logger or metrics loads none of them. Call it
 * (and await it) before the instrumented libraries are loaded; the `register` entry does,
 * through `node --import`. If tracing already runs in this process, resolves to that one.
 */
export async function startTracing(options: TracingOptions = {}): Promise<Tracing> {
  const env = options.env ?? process.env;
  const running = getTracing();
  if (running) return running;
  if (isSdkDisabled(env)) return disabledTracing;
  const [{ createSdk }, instrumentations, propagator] = await Promise.all([
    import('./create-sdk.ts'),
    options.instrumentations ?? createInstrumentations({ env, ...options.instrumentationOptions }),
    import('./propagator-from-env.ts').then(({ propagatorFromEnv }) => propagatorFromEnv(env)),
  ]);
  // Another caller may have finished starting while this one was loading modules.
  const started = getTracing();
  if (started) {
    if (options.instrumentations === undefined)
      for (const instrumentation of instrumentations) instrumentation.disable();
    return started;
  }
  return createSdk(options, env, instrumentations, propagator);
}
