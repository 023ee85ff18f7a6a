import type { Cluster, Redis } from 'ioredis';

/** Where a service's overrides live. */
export interface RedisOverrideKeys {
  /** The hash: field = dotted key path, value = string. */
  readonly hash: string;
  /** The pub/sub channel told about every change. */
  readonly channel: string;
}

/** Options shared by the override helpers. */
export interface RedisOverrideOptions {
  /** Prefix of the hash and channel names. @default 'config:' */
  keyPrefix?: string;
}

/** `config:<service>` and `config:<service>:changed`. */
export function overrideKeys(service: string, keyPrefix = 'config:'): RedisOverrideKeys {
  if (service.trim() === '') throw new RangeError('service must not be empty');
  return { hash: `${keyPrefix}${service}`, channel: `${keyPrefix}${service}:changed` };
}

/** The text stored for a value: strings as they are, numbers and booleans printed, the rest JSON. */
export function overrideText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

async function execOrThrow(result: Promise<[Error | null, unknown][] | null>): Promise<void> {
  const replies = await result;
  if (replies === null) throw new Error('the Redis transaction was aborted');
  const failed = replies.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
}

/**
 * Sets a runtime override for every replica of `service`: writes the hash field and publishes
 * on the channel in one transaction. The value is coerced by the key's schema like an env var
 * (`setOverride(redis, 'payment', 'chaos.errorRate', 0.5)`).
 */
export async function setOverride(
  redis: Redis | Cluster,
  service: string,
  key: string,
  value: unknown,
  options: RedisOverrideOptions = {},
): Promise<void> {
  const { hash, channel } = overrideKeys(service, options.keyPrefix);
  await execOrThrow(redis.multi().hset(hash, key, overrideText(value)).publish(channel, key).exec());
}

/** Removes one override of `service`; replicas fall back to their lower layers. */
export async function clearOverride(
  redis: Redis | Cluster,
  service: string,
  key: string,
  options: RedisOverrideOptions = {},
): Promise<void> {
  const { hash, channel } = overrideKeys(service, options.keyPrefix);
  await execOrThrow(redis.multi().hdel(hash, key).publish(channel, key).exec());
}

/** Removes every override of `service`. */
export async function clearOverrides(
  redis: Redis | Cluster,
  service: string,
  options: RedisOverrideOptions = {},
): Promise<void> {
  const { hash, channel } = overrideKeys(service, options.keyPrefix);
  await execOrThrow(redis.multi().del(hash).publish(channel, '*').exec());
}
