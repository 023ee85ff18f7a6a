import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * A span exporter that loads the real one on first use. The OTLP/HTTP exporter pulls in the
 * OTLP transformer with its generated protobuf code, about 300 ms of module loading on this
 * project's CI machine, which would otherwise sit between `node` starting and the first
 * request being served. The batch processor first exports seconds after start-up (or after 512
 * spans), so the load happens off the start path; spans ended meanwhile wait in its queue.
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

/** The default exporter: OTLP/HTTP (JSON) to `OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT`, loaded lazily. */
export function createOtlpExporter(): SpanExporter {
  return new LazySpanExporter(async () => {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter();
  });
}
