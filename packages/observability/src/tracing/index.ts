// Tracing: the OpenTelemetry SDK set up for express services, exported over OTLP/HTTP.
export type { Tracing } from './tracing.ts';
export type { TracingOptions } from './tracing-options.ts';
export { startTracing } from './start-tracing.ts';
export { getTracing, shutdownTracing } from './global-tracing.ts';
export type { InstrumentationOptions } from './create-instrumentations.ts';
export { createInstrumentations } from './create-instrumentations.ts';
export type { InstrumentationName } from './instrumentation-names.ts';
export { instrumentationNames } from './instrumentation-names.ts';
