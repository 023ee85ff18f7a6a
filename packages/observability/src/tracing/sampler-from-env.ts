import { diag } from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import type { Env } from './env.ts';

function readRatio(env: Env): number {
  const raw = env['OTEL_TRACES_SAMPLER_ARG']?.trim();
  const ratio = raw ? Number(raw) : Number.NaN;
  // The specification says an invalid or missing ratio falls back to 1.0 rather than failing
  // start-up: tracing must never be the reason a service does not boot.
  if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return ratio;
  diag.error(`OTEL_TRACES_SAMPLER_ARG=${raw ?? ''} is not a ratio in [0, 1], defaulting to 1.`);
  return 1;
}

/**
 * The sampler named by `OTEL_TRACES_SAMPLER` (and `OTEL_TRACES_SAMPLER_ARG` for the ratio
 * samplers), or `undefined` when unset or unknown (reported on the diag logger), which leaves
 * the SDK default (`parentbased_always_on`), as NodeSDK does.
 */
export function samplerFromEnv(env: Env): Sampler | undefined {
  const name = env['OTEL_TRACES_SAMPLER']?.trim();
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(readRatio(env));
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(readRatio(env)) });
    case undefined:
    case '':
      return undefined;
    default:
      diag.error(`unknown OTEL_TRACES_SAMPLER value "${name}", using default`);
      return undefined;
  }
}
