import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { Sampler, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { InstrumentationOptions } from './create-instrumentations.ts';
import type { Env } from './env.ts';

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
