import { clearOverride, clearOverrides, overrideKeys, setOverride } from '@shipshape/config/redis';
import type { Redis } from 'ioredis';
import type { ServiceName } from '../services.ts';
import { validateOverrides, type OverrideValue, type ValidatedOverride } from './validate-overrides.ts';

/**
 * Checks `values` against the service's schema (see {@link validateOverrides}), then writes each
 * as a Redis override (`HSET config:<service>` + `PUBLISH`), which every replica applies within
 * a moment. Nothing is written when any value is refused.
 * @returns what was set, in the order given
 * @throws InvalidOverridesError listing every refused key
 */
export async function applyOverrides(
  redis: Redis,
  service: ServiceName,
  values: Readonly<Record<string, OverrideValue>>,
): Promise<ValidatedOverride[]> {
  const existing = await redis.hgetall(overrideKeys(service).hash);
  const validated = await validateOverrides(service, values, existing);
  for (const override of validated) await setOverride(redis, service, override.path, override.text);
  return validated;
}

/**
 * Removes runtime overrides of `service`: the given schema keys (`chaos.errorRate`), or all of
 * them. Replicas fall back to their environment, files and defaults.
 */
export async function clearServiceOverrides(
  redis: Redis,
  service: ServiceName,
  paths?: readonly string[],
): Promise<void> {
  if (paths === undefined) {
    await clearOverrides(redis, service);
    return;
  }
  for (const path of paths) await clearOverride(redis, service, path);
}

/** The overrides of `service` now in Redis (hash field → text). */
export function currentOverrides(redis: Redis, service: ServiceName): Promise<Record<string, string>> {
  return redis.hgetall(overrideKeys(service).hash);
}
