import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { Sampler, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { InstrumentationOptions } from './create-instrumentations.ts';
import { createInstrumentations } from './create-instrumentations.ts';
import type { Env } from './env.ts';
import { isSdkDisabled } from './env.ts';
import { getTracing } from './global-tracing.ts';
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
   * Where spans go. Replaces the processors `OTEL_TRACES_EXPORTER` asks for (by default one
   * `BatchSpanProcessor`, configured by `OTEL_BSP_*`, around the OTLP exporter of
   * `OTEL_EXPORTER_OTLP_PROTOCOL`). Tests pass a `SimpleSpanProcessor` around an
   * `InMemorySpanExporter`.
   * @default from OTEL_TRACES_EXPORTER (otlp, console, none), as NodeSDK builds them
   */
  spanProcessors?: SpanProcessor[];
  /**
   * An exporter to use instead of the OTLP one in the batch processor; ignored when
   * `spanProcessors` is set.
   * @default the OTLP exporter of OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL (http/json unless set),
   *   loaded on first export; reads OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS, _TIMEOUT,
   *   _COMPRESSION
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
   * The environment `OTEL_*` variables are read from. The OTLP exporter and
   * `OTEL_RESOURCE_ATTRIBUTES` are always read from `process.env` (by the SDK itself).
   * @default process.env
   */
  env?: Env;
}

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
