import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { OtlpProtocol } from './otlp-protocol.ts';

/**
 * A span exporter that loads the real one on first use. The OTLP exporters pull in the OTLP
 * transformer and its serializers, tens of milliseconds of module loading that would otherwise
 * sit between `node` starting and the first request being served. The batch processor first
 * exports seconds after start-up (or after 512 spans), so the load happens off the start path;
 * spans ended meanwhile wait in its queue.
 */
export class LazySpanExporter implements SpanExporter {
  readonly #load: () => Promise<SpanExporter>;
  #exporter: Promise<SpanExporter> | undefined;
  #stopped = false;

  /** @param load creates the real exporter; called at most once. */
  constructor(load: () => Promise<SpanExporter>) {
    this.#load = load;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.#exporter ??= this.#load();
    this.#exporter.then(
      (exporter) => exporter.export(spans, resultCallback),
      (error: unknown) =>
        resultCallback({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
  }

  async forceFlush(): Promise<void> {
    // Nothing to flush when nothing was ever exported: the batch processor flushes its own
    // queue through export() first.
    await (await this.#exporter)?.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await (await this.#exporter)?.shutdown();
  }
}

/** The module of each protocol's official exporter; all export `OTLPTraceExporter`. */
const exporterModules: Record<OtlpProtocol, string> = {
  'http/json': '@opentelemetry/exporter-trace-otlp-http',
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
  // An optional peer dependency (it brings @grpc/grpc-js): installed only by those who use it.
  grpc: '@opentelemetry/exporter-trace-otlp-grpc',
};

/**
 * The OTLP exporter of `protocol`, loaded lazily. It reads `OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT`,
 * `_HEADERS`, `_TIMEOUT` and `_COMPRESSION` itself.
 */
export function createOtlpExporter(protocol: OtlpProtocol): SpanExporter {
  return new LazySpanExporter(async () => {
    // A variable specifier: the gRPC exporter may be absent, and then only this import fails.
    const specifier = exporterModules[protocol];
    const { OTLPTraceExporter } = (await import(specifier)) as { OTLPTraceExporter: new () => SpanExporter };
    return new OTLPTraceExporter();
  });
}
