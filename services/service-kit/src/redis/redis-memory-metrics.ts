import type { MetricsRegistry } from '@shipshape/observability/metrics';
import type { RedisClient } from './redis-client.ts';

/**
 * The Redis memory gauges every service exports about the Redis it uses. The names are
 * redis_exporter's, so dashboards and alerts work unchanged if one is added later. Bytes; no
 * labels besides `service` (each service reports the same Redis: aggregate with `max`).
 */
export const REDIS_METRIC = {
  /** `INFO memory` `used_memory`: bytes Redis has allocated for its data and overhead. */
  memoryUsed: 'redis_memory_used_bytes',
  /** `INFO memory` `maxmemory`: the configured limit, 0 when unlimited. */
  memoryMax: 'redis_memory_max_bytes',
} as const;

/** Options of {@link bridgeRedisMemory}. */
export interface RedisMemoryOptions {
  /**
   * Longest wait for `INFO memory` during a scrape, in ms; a slower or failing Redis reads 0 in
   * that scrape rather than holding `/metrics`.
   * @default 500
   */
  timeoutMs?: number;
}

/** The value of `field` in an `INFO` reply, or undefined. */
function infoField(info: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:(\\d+)\\r?$`, 'm').exec(info);
  return match ? Number(match[1]) : undefined;
}

/**
 * Reads `INFO memory` at every scrape into {@link REDIS_METRIC}'s gauges. Returns the disposer.
 * While Redis does not answer both read 0 (prom-client renders an unlabelled gauge with no value
 * as 0); a 0 `maxmemory` keeps the 80 % alert quiet, and `RedisUnreachable` covers the outage.
 */
export function bridgeRedisMemory(
  redis: Pick<RedisClient, 'info'>,
  metrics: MetricsRegistry,
  options: RedisMemoryOptions = {},
): { dispose(): void } {
  const timeoutMs = options.timeoutMs ?? 500;
  const read = (): Promise<string | undefined> =>
    Promise.race([
      redis.info('memory'),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref()),
    ]).catch(() => undefined);
  const gauges = [
    [REDIS_METRIC.memoryUsed, 'used_memory', 'Bytes Redis has allocated (INFO memory used_memory)'],
    [REDIS_METRIC.memoryMax, 'maxmemory', 'The maxmemory limit of Redis in bytes, 0 when unlimited'],
  ] as const;
  const sources = gauges.map(([name, field, help]) =>
    metrics.collectedGauge<never>({ name, help, labelNames: [] }).add(async (set) => {
      const value = infoField((await read()) ?? '', field);
      if (value !== undefined) set({}, value);
    }),
  );
  return { dispose: () => sources.forEach((source) => source.dispose()) };
}
