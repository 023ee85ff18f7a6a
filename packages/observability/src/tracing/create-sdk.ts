import type { TextMapPropagator } from '@opentelemetry/api';
import { context, DiagConsoleLogger, diag, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { diagLogLevelFromString } from '@opentelemetry/core';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { createResource } from './create-resource.ts';
import type { Env } from './env.ts';
import { stringFromEnv } from './env.ts';
import { getTracing, setTracing } from './global-tracing.ts';
import { samplerFromEnv } from './sampler-from-env.ts';
import { spanProcessorsFromEnv } from './span-processors-from-env.ts';
import type { TracingOptions } from './tracing-options.ts';
import type { Tracing } from './tracing.ts';

/**
 * Builds and registers the SDK, reading the standard `OTEL_*` variables the way NodeSDK does
 * (the table in the README; `env.test.ts` and `test/tracing/otel-env.test.ts` check it).
 * Internal: `startTracing` loads this module on demand, so that the SDK packages it imports
 * are loaded only when tracing actually starts, and hands it the propagator of
 * `OTEL_PROPAGATORS` (`null`: none).
 */
export function createSdk(
  options: TracingOptions,
  env: Env,
  instrumentations: Instrumentation[],
  propagator: TextMapPropagator | null,
): Tracing {
  const logLevel = stringFromEnv(env, 'OTEL_LOG_LEVEL');
  if (logLevel !== undefined) {
    diag.setLogger(new DiagConsoleLogger(), { logLevel: diagLogLevelFromString(logLevel) });
  }
  const resource = createResource(
    {
      serviceName: options.serviceName,
      serviceVersion: options.serviceVersion,
      serviceInstanceId: options.serviceInstanceId,
    },
    env,
  );
  const spanProcessors = options.spanProcessors ?? spanProcessorsFromEnv(env, options.exporter);
  const sampler = options.sampler ?? samplerFromEnv(env);
  // Like NodeSDK, no exporter (`OTEL_TRACES_EXPORTER=none`) means no tracer provider: spans are
  // the API's non-recording ones, and only the context still propagates.
  const tracerProvider =
    spanProcessors.length === 0
      ? undefined
      : new TracerProvider({ resource, spanProcessors, ...(sampler ? { sampler } : {}) });

  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  if (propagator !== null) propagation.setGlobalPropagator(propagator);
  if (tracerProvider !== undefined) trace.setGlobalTracerProvider(tracerProvider);
  const unregister = enableInstrumentations(instrumentations, tracerProvider);

  let stopping: Promise<void> | undefined;
  const tracing: Tracing = {
    enabled: true,
    tracerProvider,
    forceFlush: async () => {
      await tracerProvider?.forceFlush();
    },
    shutdown: () => {
      stopping ??= (async () => {
        unregister();
        try {
          await tracerProvider?.shutdown();
        } finally {
          trace.disable();
          propagation.disable();
          context.disable();
          if (getTracing() === tracing) setTracing(undefined);
        }
      })();
      return stopping;
    },
  };
  setTracing(tracing);
  return tracing;
}

/**
 * What `registerInstrumentations` of `@opentelemetry/instrumentation` does for a tracer
 * provider, without loading that package (and its module-hook machinery) when no
 * instrumentation needs it: hands each the provider (or, without one, leaves them on the
 * global no-op), enables those not enabled yet, and returns the function that disables them.
 */
function enableInstrumentations(
  instrumentations: Instrumentation[],
  tracerProvider: TracerProvider | undefined,
): () => void {
  for (const instrumentation of instrumentations) {
    if (tracerProvider !== undefined) instrumentation.setTracerProvider(tracerProvider);
    if (instrumentation.getConfig().enabled !== true) instrumentation.enable();
  }
  return () => {
    for (const instrumentation of instrumentations) instrumentation.disable();
  };
}
