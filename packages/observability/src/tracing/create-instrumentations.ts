import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { ExpressLayerType } from '@opentelemetry/instrumentation-express';
import type { Env } from './env.ts';
import { listFromEnv } from './env.ts';
import type { InstrumentationName } from './instrumentation-names.ts';
import { instrumentationNames } from './instrumentation-names.ts';

/** Options of {@link createInstrumentations}. */
export interface InstrumentationOptions {
  /**
   * Which instrumentations to create. `OTEL_NODE_ENABLED_INSTRUMENTATIONS` narrows this list
   * and `OTEL_NODE_DISABLED_INSTRUMENTATIONS` removes from it.
   * @default all of `instrumentationNames` (http, express, ioredis, undici)
   */
  enabled?: readonly InstrumentationName[];
  /**
   * Inbound request paths that get no span (exact match on the path without query string).
   * Probes and scrapes arrive every few seconds and would drown real traffic in Jaeger.
   * @default ['/health', '/ready', '/metrics']
   */
  ignoreIncomingPaths?: readonly string[];
  /**
   * Express layer types that get no span of their own. By default none does: the HTTP server
   * span already carries the route template (`http.route`, and the span is named
   * `GET /users/:id`) without any express instrumentation, and every layer span roughly doubles the tracing cost of a request while saying little
   * (request id, JSON parser, access log). Pass `[]` to trace every layer, or
   * `['middleware']` to keep router and handler spans; only then is
   * `@opentelemetry/instrumentation-express` loaded.
   * @default ['middleware', 'request_handler', 'router']
   */
  ignoreExpressLayerTypes?: readonly `${ExpressLayerType}`[];
  /**
   * Environment the `OTEL_NODE_*_INSTRUMENTATIONS` lists are read from.
   * @default process.env
   */
  env?: Env;
}

const defaults = {
  enabled: instrumentationNames,
  ignoreIncomingPaths: ['/health', '/ready', '/metrics'],
  ignoreExpressLayerTypes: ['middleware', 'request_handler', 'router'],
} satisfies InstrumentationOptions;

/** The names left after applying the options and the `OTEL_NODE_*_INSTRUMENTATIONS` lists. */
export function selectInstrumentations(
  enabled: readonly InstrumentationName[],
  env: Env,
): InstrumentationName[] {
  const onlyThese = listFromEnv(env, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  const notThese = listFromEnv(env, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? [];
  return enabled.filter(
    (name) => (onlyThese === undefined || onlyThese.includes(name)) && !notThese.includes(name),
  );
}

const allExpressLayerTypes = ['middleware', 'request_handler', 'router'] as const;

/**
 * Whether the express instrumentation has anything to add: only layer spans. The route
 * template on the server span comes from `captureRouteTemplates` without it.
 */
function wantsExpressLayerSpans(ignored: readonly string[]): boolean {
  return allExpressLayerTypes.some((type) => !ignored.includes(type));
}

/**
 * The instrumentations that will actually be created for these options: `express` drops out
 * when every layer type is ignored (the default). The register entry hooks only their modules.
 */
export function activeInstrumentations(options: InstrumentationOptions = {}): InstrumentationName[] {
  const settings = { ...defaults, ...options };
  return selectInstrumentations(settings.enabled, settings.env ?? process.env).filter(
    (name) => name !== 'express' || wantsExpressLayerSpans(settings.ignoreExpressLayerTypes),
  );
}

/**
 * Creates the explicit instrumentation list (not the auto-instrumentations meta-package, which
 * loads some forty instrumentations and their dependencies at start-up). Only the selected
 * instrumentation packages are loaded, on demand, so that importing this package costs nothing
 * until tracing starts. Instrumentations enable themselves when created; {@link startTracing}
 * then registers them with the tracer provider.
 *
 * `http` is this package's own lean instrumentations, `InboundHttpInstrumentation` and
 * `InboundHttp2Instrumentation` (server spans) and `OutboundHttpInstrumentation` (client spans), not
 * `@opentelemetry/instrumentation-http`: they need no module hook and cost a fraction per
 * request. `ioredis` and `undici` are this package's too (`IoredisInstrumentation`,
 * `UndiciInstrumentation`): they read the diagnostics channels ioredis 6 and undici publish,
 * so, unless express layer spans are asked for, no module hook is installed at all and
 * `@opentelemetry/instrumentation` is never loaded.
 */
export async function createInstrumentations(
  options: InstrumentationOptions = {},
): Promise<Instrumentation[]> {
  const settings = { ...defaults, ...options };
  const created = await Promise.all(
    activeInstrumentations(options).map(async (name): Promise<Instrumentation[]> => {
      switch (name) {
        case 'http': {
          const [
            { InboundHttpInstrumentation },
            { InboundHttp2Instrumentation },
            { OutboundHttpInstrumentation },
          ] = await Promise.all([
            import('./inbound-http-instrumentation.ts'),
            import('./inbound-http2-instrumentation.ts'),
            import('./outbound-http-instrumentation.ts'),
          ]);
          const ignoredPaths = settings.ignoreIncomingPaths;
          const created = [
            new InboundHttpInstrumentation({ ignoredPaths }),
            new InboundHttp2Instrumentation({ ignoredPaths }),
            new OutboundHttpInstrumentation(),
          ];
          for (const instrumentation of created) instrumentation.enable();
          return created;
        }
        case 'express': {
          const { ExpressInstrumentation } = await import('@opentelemetry/instrumentation-express');
          return [
            new ExpressInstrumentation({
              ignoreLayersType: [...settings.ignoreExpressLayerTypes] as ExpressLayerType[],
            }),
          ];
        }
        case 'ioredis': {
          const { IoredisInstrumentation } = await import('./ioredis-instrumentation.ts');
          const instrumentation = new IoredisInstrumentation({ requireParentSpan: true });
          instrumentation.enable();
          return [instrumentation];
        }
        case 'undici': {
          const { UndiciInstrumentation } = await import('./undici-instrumentation.ts');
          const instrumentation = new UndiciInstrumentation();
          instrumentation.enable();
          return [instrumentation];
        }
      }
    }),
  );
  return created.flat();
}
