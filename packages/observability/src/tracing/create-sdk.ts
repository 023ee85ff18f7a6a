import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createResource } from './create-resource.ts';
import type { Env } from './env.ts';
import { batchSettingsFromEnv, exportThread } from './env.ts';
import { getTracing, setTracing } from './global-tracing.ts';
import { createOtlpExporter } from './lazy-span-exporter.ts';
import { samplerFromEnv } from './sampler-from-env.ts';
import { WorkerSpanProcessor } from './worker-export/worker-span-processor.ts';
import type { TracingOptions } from './start-tracing.ts';
import type { Tracing } from './tracing.ts';

/**
 * Builds and registers the SDK. Internal: `startTracing` loads this module on demand, so that
 * the SDK packages it imports are loaded only when tracing actually starts.
 */
export function createSdk(options: TracingOptions, env: Env, instrumentations: Instrumentation[]): Tracing {
  const resource = createResource(
    {
      serviceName: options.serviceName,
      serviceVersion: options.serviceVersion,
      serviceInstanceId: options.serviceInstanceId,
    },
    env,
  );
  const batchSettings = withoutUndefined(batchSettingsFromEnv(env));
  const spanProcessors = options.spanProcessors ?? [
    options.exporter === undefined && exportThread(options, env) === 'worker'
      ? new WorkerSpanProcessor(batchSettings)
      : new BatchSpanProcessor({ exporter: options.exporter ?? createOtlpExporter(), ...batchSettings }),
  ];
  const sampler = options.sampler ?? samplerFromEnv(env);
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors,
    ...(sampler ? { sampler } : {}),
  });

  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  trace.setGlobalTracerProvider(tracerProvider);
  const unregister = enableInstrumentations(instrumentations, tracerProvider);

  let stopping: Promise<void> | undefined;
  const tracing: Tracing = {
    enabled: true,
    tracerProvider,
    forceFlush: () => tracerProvider.forceFlush(),
    shutdown: () => {
      stopping ??= (async () => {
        unregister();
        try {
          await tracerProvider.shutdown();
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

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * What `registerInstrumentations` of `@opentelemetry/instrumentation` does for a tracer
 * provider, without loading that package (and its module-hook machinery) when no
 * instrumentation needs it: hands each the provider, enables those not enabled yet, and
 * returns the function that disables them all.
 */
function enableInstrumentations(
  instrumentations: Instrumentation[],
  tracerProvider: TracerProvider,
): () => void {
  for (const instrumentation of instrumentations) {
    instrumentation.setTracerProvider(tracerProvider);
    if (instrumentation.getConfig().enabled !== true) instrumentation.enable();
  }
  return () => {
    for (const instrumentation of instrumentations) instrumentation.disable();
  };
}
