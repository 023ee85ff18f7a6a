import { diag } from '@opentelemetry/api';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { Env } from './env.ts';
import { batchSettingsFromEnv, listFromEnv } from './env.ts';
import { createOtlpExporter } from './lazy-span-exporter.ts';
import { otlpProtocolFromEnv } from './otlp-protocol.ts';

/**
 * The exporter names of `OTEL_TRACES_EXPORTER`, read the way NodeSDK reads them: unset means
 * `otlp`; `none` first means no exporter at all; `none` among others is ignored with a warning
 * (NodeSDK then uses `otlp` alone); unknown names are skipped with a warning.
 */
export function traceExporterNamesFromEnv(env: Env): ('otlp' | 'console')[] {
  const names = [...new Set(listFromEnv(env, 'OTEL_TRACES_EXPORTER') ?? [])].filter((n) => n !== 'null');
  if (names[0] === 'none') return [];
  if (names.length === 0) return ['otlp'];
  if (names.includes('none')) {
    diag.warn(
      'OTEL_TRACES_EXPORTER contains "none" along with other exporters. Using default otlp exporter.',
    );
    return ['otlp'];
  }
  return names.filter((name): name is 'otlp' | 'console' => {
    if (name === 'otlp' || name === 'console') return true;
    diag.warn(`Unrecognized OTEL_TRACES_EXPORTER value: ${name}.`);
    return false;
  });
}

/**
 * The span processors the environment asks for, as NodeSDK builds them: for `otlp`, the SDK's
 * `BatchSpanProcessor` (`OTEL_BSP_*`) around the OTLP exporter of `OTEL_EXPORTER_OTLP_PROTOCOL`;
 * for `console`, a `SimpleSpanProcessor` around `ConsoleSpanExporter`. `exporter` replaces the
 * OTLP one.
 */
export function spanProcessorsFromEnv(env: Env, exporter?: SpanExporter): SpanProcessor[] {
  const batchSettings = Object.fromEntries(
    Object.entries(batchSettingsFromEnv(env)).filter(([, value]) => value !== undefined),
  );
  return traceExporterNamesFromEnv(env).map((name) =>
    name === 'console'
      ? new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() })
      : new BatchSpanProcessor({
          exporter: exporter ?? createOtlpExporter(otlpProtocolFromEnv(env)),
          ...batchSettings,
        }),
  );
}
