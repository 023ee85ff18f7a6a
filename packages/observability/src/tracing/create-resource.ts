import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Resource } from '@opentelemetry/resources';
import {
  detectResources,
  resourceAttributesEnvDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_TELEMETRY_SDK_LANGUAGE,
} from '@opentelemetry/semantic-conventions';
import type { Env } from './env.ts';

/** What identifies the emitting process in every span. */
export interface ResourceSettings {
  /** `service.name`; falls back to `OTEL_SERVICE_NAME`, then `unknown_service:node`. */
  serviceName: string | undefined;
  /** `service.version`; falls back to `SERVICE_VERSION`, then `npm_package_version`. */
  serviceVersion: string | undefined;
  /** `service.instance.id`; falls back to a random UUID, unique per process start. */
  serviceInstanceId: string | undefined;
}

/**
 * Builds the resource: service name, version and instance id, host name, process id, then
 * `OTEL_RESOURCE_ATTRIBUTES` on top (except `service.name`, where an explicit option or
 * `OTEL_SERVICE_NAME` wins, as the specification requires). Everything here is synchronous:
 * no detector that reads files or the network delays start-up.
 */
export function createResource(settings: ResourceSettings, env: Env): Resource {
  const serviceName = settings.serviceName ?? env['OTEL_SERVICE_NAME']?.trim() ?? undefined;
  const serviceVersion = settings.serviceVersion ?? env['SERVICE_VERSION'] ?? env['npm_package_version'];
  const base = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: 'unknown_service:node',
    [ATTR_TELEMETRY_SDK_LANGUAGE]: 'nodejs',
    'service.instance.id': settings.serviceInstanceId ?? randomUUID(),
    'host.name': hostname(),
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    ...(serviceVersion ? { [ATTR_SERVICE_VERSION]: serviceVersion } : {}),
  });
  const fromEnv = detectResources({ detectors: [resourceAttributesEnvDetector] });
  const explicit = resourceFromAttributes(serviceName ? { [ATTR_SERVICE_NAME]: serviceName } : {});
  return base.merge(fromEnv).merge(explicit);
}
