import { clearOverride, clearOverrides, overrideKeys, setOverride } from '@shipshape/config/redis';
import type { RedisClient } from '@shipshape/service-kit';
import type { ServiceName } from '../services.ts';
import { validateOverrides, type OverrideValue, type ValidatedOverrides } from './validate-overrides.ts';

/**
 * Checks `values` (and the removal of `remove`) against the service's schema together with the
 * overrides already in Redis (see {@link validateOverrides}), then writes each value as a Redis
 * override (`HSET config:<service>` + `PUBLISH`) and removes the others; every replica applies
 * the change within a moment. Nothing is written when anything is refused.
 * @param instance one replica's `CONFIG_INSTANCE`: the overrides go to `config:<service>/<instance>`
 *   and reach that replica alone
 * @throws InvalidOverridesError listing every refused key
 */
export async function applyOverrides(
  redis: RedisClient,
  service: ServiceName,
  values: Readonly<Record<string, OverrideValue>>,
  remove: readonly string[] = [],
  instance?: string,
): Promise<ValidatedOverrides> {
  const target = instance === undefined ? service : `${service}/${instance}`;
  const existing = await redis.hgetall(overrideKeys(target).hash);
  const validated = await validateOverrides(service, values, { existing, remove });
  for (const override of validated.set) await setOverride(redis, target, override.path, override.text);
  for (const path of validated.removed) await clearOverride(redis, target, path);
  return validated;
}

/** Removes every runtime override of `service`; replicas fall back to env, files and defaults. */
export async function clearServiceOverrides(redis: RedisClient, service: ServiceName): Promise<void> {
  await clearOverrides(redis, service);
}

/** The overrides of `service` now in Redis (hash field → text). */
export function currentOverrides(redis: RedisClient, service: ServiceName): Promise<Record<string, string>> {
  return redis.hgetall(overrideKeys(service).hash);
}
