import { AlwaysOffSampler, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { selectInstrumentations } from './create-instrumentations.ts';
import { batchSettingsFromEnv, exportThread, isSdkDisabled } from './env.ts';
import { samplerFromEnv } from './sampler-from-env.ts';
import { instrumentationNames } from './instrumentation-names.ts';

describe('OTEL_* environment', () => {
  it('exports on the worker thread unless told "main" by the option or SHIPSHAPE_OTEL_EXPORT_THREAD', () => {
    expect(exportThread({}, {})).toBe('worker');
    expect(exportThread({}, { SHIPSHAPE_OTEL_EXPORT_THREAD: ' Main ' })).toBe('main');
    expect(exportThread({}, { SHIPSHAPE_OTEL_EXPORT_THREAD: 'other' })).toBe('worker');
    expect(exportThread({ exportThread: 'worker' }, { SHIPSHAPE_OTEL_EXPORT_THREAD: 'main' })).toBe('worker');
    expect(exportThread({ exportThread: 'main' }, {})).toBe('main');
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
    expect(batchSettingsFromEnv({ OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_BSP_MAX_QUEUE_SIZE: '-1' })).toEqual({
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
