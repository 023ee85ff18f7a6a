import { diag } from '@opentelemetry/api';
import type { Env } from './env.ts';
import { stringFromEnv } from './env.ts';

/** The OTLP transports, by their `OTEL_EXPORTER_OTLP_PROTOCOL` names. */
export const otlpProtocols = ['http/json', 'http/protobuf', 'grpc'] as const;

/** One of {@link otlpProtocols}. */
export type OtlpProtocol = (typeof otlpProtocols)[number];

/**
 * The default when neither protocol variable is set. The specification (and NodeSDK) default
 * to `http/protobuf`; this package keeps `http/json`, what it always sent, so that upgrading it
 * does not change the bytes on the wire of a running deployment. Jaeger and the Collector
 * accept both on 4318.
 */
export const defaultOtlpProtocol: OtlpProtocol = 'http/json';

/**
 * The traces protocol: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`,
 * else {@link defaultOtlpProtocol}. An unknown name is reported on the diag logger and falls
 * back to the default, as NodeSDK does.
 */
export function otlpProtocolFromEnv(env: Env): OtlpProtocol {
  const name =
    stringFromEnv(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ??
    stringFromEnv(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  if (name === undefined) return defaultOtlpProtocol;
  if ((otlpProtocols as readonly string[]).includes(name)) return name as OtlpProtocol;
  diag.warn(`Unsupported OTLP traces protocol: "${name}". Using ${defaultOtlpProtocol}.`);
  return defaultOtlpProtocol;
}
