import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { Sampler, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { InstrumentationOptions } from './create-instrumentations.ts';
import { createInstrumentations } from './create-instrumentations.ts';
import { createResource } from './create-resource.ts';
import { createOtlpExporter } from './lazy-span-exporter.ts';
import type { Env } from './env.ts';
import { batchSettingsFromEnv, isSdkDisabled, samplerFromEnv } from './env.ts';
import { getTracing, setTracing } from './global-tracing.ts';
import type { Tracing } from './tracing.ts';
import { disabledTracing } from './tracing.ts';

/** Options of {@link startTracing}. */
export interface TracingOptions {
  /**
   * `service.name` of every span.
   * @default process.env.OTEL_SERVICE_NAME, else 'unknown_service:node'
   */
  serviceName?: string;
  /**
   * `service.version` of every span.
   * @default process.env.SERVICE_VERSION, else process.env.npm_package_version, else absent
   */
  serviceVersion?: string;
  /**
   * `service.instance.id`, which tells replicas apart.
   * @default a random UUID per process start
   */
  serviceInstanceId?: string;
  /**
   * Where spans go. Replaces the default, a `BatchSpanProcessor` (configured by `OTEL_BSP_*`)
   * around an OTLP/HTTP exporter to `OTEL_EXPORTER_OTLP_ENDPOINT`. Tests pass a
   * `SimpleSpanProcessor` around an `InMemorySpanExporter`.
   * @default [new BatchSpanProcessor({ exporter: createOtlpExporter() })]
   */
  spanProcessors?: SpanProcessor[];
  /**
   * An exporter to wrap in the default batch processor; ignored when `spanProcessors` is set.
   * @default createOtlpExporter(): OTLP/HTTP, loaded on first export; reads
   *   OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS, _TIMEOUT, _COMPRESSION
   */
  exporter?: SpanExporter;
  /**
   * Sampling decision for new traces.
   * @default from OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, else parentbased_always_on
   */
  sampler?: Sampler;
  /**
   * The instrumentations to register, or settings for the default ones.
   * @default createInstrumentations(instrumentationOptions)
   */
  instrumentations?: Instrumentation[];
  /** Settings for the default instrumentations; ignored when `instrumentations` is set. */
  instrumentationOptions?: InstrumentationOptions;
  /**
   * The environment `OTEL_*` variables are read from. The OTLP exporter always reads
   * `process.env` itself.
   * @default process.env
   */
  env?: Env;
}

/**
 * Starts the OpenTelemetry tracing SDK in this process: tracer provider with the resource and
 * sampler, W3C `traceparent` + `baggage` propagation, AsyncLocalStorage context, and the explicit
 * instrumentations. Honours `OTEL_SDK_DISABLED=true` by returning a no-op.
 *
 * Call it before the instrumented libraries are loaded (the `register` entry does, through
 * `node --import`). If tracing already runs in this process, returns that one unchanged.
 */
export function startTracing(options: TracingOptions = {}): Tracing {
  const env = options.env ?? process.env;
  const running = getTracing();
  if (running) return running;
  if (isSdkDisabled(env)) return disabledTracing;

  const resource = createResource(
    {
      serviceName: options.serviceName,
      serviceVersion: options.serviceVersion,
      serviceInstanceId: options.serviceInstanceId,
    },
    env,
  );
  const spanProcessors = options.spanProcessors ?? [
    new BatchSpanProcessor({
      exporter: options.exporter ?? createOtlpExporter(),
      ...withoutUndefined(batchSettingsFromEnv(env)),
    }),
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
  const instrumentations =
    options.instrumentations ?? createInstrumentations({ env, ...options.instrumentationOptions });
  const unregister = registerInstrumentations({ instrumentations, tracerProvider });

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
