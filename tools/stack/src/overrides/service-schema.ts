import type * as z from 'zod';
import type { ServiceName } from '../services.ts';

/** The configuration schema of a service and the keys that only apply at startup. */
export interface ServiceSchema {
  readonly schema: z.ZodType;
  readonly staticKeys: readonly string[];
}

const packages: Record<ServiceName, string> = {
  user: '@shipshape/user-service',
  order: '@shipshape/order-service',
  payment: '@shipshape/payment-service',
};

const cache = new Map<ServiceName, Promise<ServiceSchema>>();

/**
 * Loads `configSchema` and `staticConfigKeys` from the service's package (its built `dist`), so
 * runtime settings are checked by the very schema the replicas validate them with.
 */
export function serviceSchema(service: ServiceName): Promise<ServiceSchema> {
  let loaded = cache.get(service);
  if (!loaded) {
    loaded = importSchema(service);
    cache.set(service, loaded);
  }
  return loaded;
}

async function importSchema(service: ServiceName): Promise<ServiceSchema> {
  const module = (await import(packages[service])) as {
    configSchema?: z.ZodType;
    staticConfigKeys?: readonly string[];
  };
  if (module.configSchema === undefined)
    throw new Error(`${packages[service]} does not export configSchema (is it built?)`);
  return { schema: module.configSchema, staticKeys: module.staticConfigKeys ?? [] };
}
