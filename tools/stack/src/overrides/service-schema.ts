import { pathToFileURL } from 'node:url';
import type * as z from 'zod';
import { serviceDirectory, type ServiceName } from '../services.ts';

/** The configuration schema of a service and the keys that only apply at startup. */
export interface ServiceSchema {
  readonly schema: z.ZodType;
  readonly staticKeys: readonly string[];
}

const cache = new Map<ServiceName, Promise<ServiceSchema>>();

/**
 * Loads `configSchema` and `staticConfigKeys` from the service's built `dist/config.js` (only
 * that module, not the whole service), so runtime settings are checked by the very schema the
 * replicas validate them with.
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
  const file = `${serviceDirectory(service)}/dist/config.js`;
  const module = (await import(pathToFileURL(file).href)) as {
    configSchema?: z.ZodType;
    staticConfigKeys?: readonly string[];
  };
  if (module.configSchema === undefined) throw new Error(`${file} does not export configSchema`);
  return { schema: module.configSchema, staticKeys: module.staticConfigKeys ?? [] };
}
