import type { TracerProvider } from '@opentelemetry/sdk-trace';

/** A running (or deliberately disabled) tracing setup, as returned by `startTracing`. */
export interface Tracing {
  /** `false` when `OTEL_SDK_DISABLED=true` made this a no-op. */
  readonly enabled: boolean;
  /** The SDK tracer provider, `undefined` when disabled. */
  readonly tracerProvider: TracerProvider | undefined;
  /** Exports every span ended so far; resolves when the exporter has answered or timed out. */
  forceFlush(): Promise<void>;
  /**
   * Flushes, shuts the exporter down, unpatches the instrumentations and unregisters the global
   * tracer provider, context manager and propagator. Idempotent.
   */
  shutdown(): Promise<void>;
}

/** The no-op returned when the SDK is disabled. */
export const disabledTracing: Tracing = {
  enabled: false,
  tracerProvider: undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
