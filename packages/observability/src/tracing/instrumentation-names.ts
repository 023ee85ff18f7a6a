/**
 * The libraries this package instruments, by the short names `OTEL_NODE_ENABLED_INSTRUMENTATIONS`
 * and `OTEL_NODE_DISABLED_INSTRUMENTATIONS` use (the convention of
 * `@opentelemetry/auto-instrumentations-node`, without its `@opentelemetry/instrumentation-`
 * prefix).
 *
 * - `http`: this package's own inbound server spans and outgoing `node:http`/`node:https`
 *   client spans, `traceparent` read and written.
 * - `express`: express layer spans only (the route template needs no instrumentation); not
 *   even loaded while every layer type is ignored, the default.
 * - `ioredis`: one client span per Redis command, MULTI and connection attempt (ioredis 6, from
 *   its own tracing channels).
 * - `undici`: `fetch()` and undici client spans, with context injection (from undici's
 *   diagnostics channels).
 *
 * pino is deliberately absent: log correlation is a pino `mixin` (see `createLogger`), which
 * reads the active span directly and needs no module patching.
 */
export const instrumentationNames = ['http', 'express', 'ioredis', 'undici'] as const;

/** One of {@link instrumentationNames}. */
export type InstrumentationName = (typeof instrumentationNames)[number];

/**
 * The module specifiers each instrumentation patches. The ESM loader hook intercepts only
 * these, so every other module of the application loads untouched (and fast).
 */
export const patchedModules: Readonly<Record<InstrumentationName, readonly string[]>> = {
  // Traced from the diagnostics channels of node:http: no module hook.
  http: [],
  express: ['express'],
  // ioredis 6 and undici publish diagnostics channels: no module needs patching.
  ioredis: [],
  undici: [],
};
