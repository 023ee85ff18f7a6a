import { AlwaysOffSampler, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { selectInstrumentations } from './create-instrumentations.ts';
import { batchSettingsFromEnv, isSdkDisabled } from './env.ts';
import { instrumentationNames } from './instrumentation-names.ts';
import { otlpProtocolFromEnv } from './otlp-protocol.ts';
import { samplerFromEnv } from './sampler-from-env.ts';
import { traceExporterNamesFromEnv } from './span-processors-from-env.ts';

describe('OTEL_* environment', () => {
  it.each([
    [undefined, ['otlp']],
    ['console', ['console']],
    ['otlp, console', ['otlp', 'console']],
    ['none', []],
    ['none,console', []],
    ['console,none', ['otlp']],
    ['zipkin', []],
  ])('reads OTEL_TRACES_EXPORTER=%s as NodeSDK does: %j', (value, names) => {
    expect(traceExporterNamesFromEnv({ OTEL_TRACES_EXPORTER: value })).toEqual(names);
  });

  it.each([
    [{}, 'http/json'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, 'http/protobuf'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'grpc'],
    [
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' },
      'http/protobuf',
    ],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' }, 'http/json'],
  ])('picks the OTLP protocol from %j: %s', (env, protocol) => {
    expect(otlpProtocolFromEnv(env)).toBe(protocol);
  });

  it('treats only "true" (any case) as OTEL_SDK_DISABLED', () => {
    expect(isSdkDisabled({ OTEL_SDK_DISABLED: 'TRUE' })).toBe(true);
    expect(isSdkDisabled({ OTEL_SDK_DISABLED: '1' })).toBe(false);
    expect(isSdkDisabled({})).toBe(false);
  });

  it('builds a parent-based ratio sampler from parentbased_traceidratio', () => {
    const sampler = samplerFromEnv({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
    expect(sampler).toBeInstanceOf(ParentBasedSampler);
    expect(sampler?.toString()).toContain('TraceIdRatioBased{0.1}');
  });

  it('falls back to a ratio of 1 when OTEL_TRACES_SAMPLER_ARG is out of range', () => {
    const sampler = samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' });
    expect(sampler).toBeInstanceOf(TraceIdRatioBasedSampler);
    expect(sampler?.toString()).toBe('TraceIdRatioBased{1}');
  });

  it('builds always_off and leaves unknown names to the SDK default', () => {
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' })).toBeInstanceOf(AlwaysOffSampler);
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'jaeger_remote' })).toBeUndefined();
  });

  it('reads the OTEL_BSP_* settings and ignores invalid ones', () => {
    expect(
      batchSettingsFromEnv({
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BSP_MAX_QUEUE_SIZE: '-1',
        OTEL_BSP_EXPORT_TIMEOUT: 'soon',
      }),
    ).toEqual({
      maxQueueSize: undefined,
      maxExportBatchSize: undefined,
      scheduledDelayMillis: 200,
      exportTimeoutMillis: undefined,
    });
  });

  it('narrows instrumentations by the enabled and disabled lists', () => {
    const env = {
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http, express,undici',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici',
    };
    expect(selectInstrumentations(instrumentationNames, env)).toEqual(['http', 'express']);
  });
});
