import type { MetricsRegistry } from '@shipshape/observability/metrics';
import type { Redis } from 'ioredis';
import { isClusterClient, redisNodeAddress, type RedisClient } from './redis-client.ts';

/**
 * The Redis memory gauges every service exports about the Redis it uses. The names are
 * redis_exporter's, so dashboards and alerts work unchanged if one is added later. Bytes, one
 * series per Redis node read ({@link REDIS_LABEL}); every service reports the same nodes, so
 * aggregate across services with `max by (redis_node)`.
 */
export const REDIS_METRIC = {
  /** `INFO memory` `used_memory`: bytes the node has allocated for its data and overhead. */
  memoryUsed: 'redis_memory_used_bytes',
  /** `INFO memory` `maxmemory`: the node's configured limit, 0 when unlimited. */
  memoryMax: 'redis_memory_max_bytes',
} as const;

/** The labels of {@link REDIS_METRIC}'s gauges (besides `service`). */
export const REDIS_LABEL = {
  /**
   * `host:port` of the node as the client connects to it. One value on one node; one per master
   * on a cluster, so the cardinality is the number of masters (a failover adds the promoted
   * replica's address and the dead master's series ends).
   */
  node: 'redis_node',
} as const;

/** Options of {@link bridgeRedisMemory}. */
export interface RedisMemoryOptions {
  /**
   * Longest wait for one node's `INFO memory` during a scrape, in ms (the nodes of a cluster are
   * read in parallel, each with this limit); a slower or failing node is left out of that scrape
   * rather than holding `/metrics`.
   * @default 500
   */
  timeoutMs?: number;
}

const defaults = { timeoutMs: 500 } satisfies RedisMemoryOptions;

/** One node's reading in one scrape. */
interface NodeMemory {
  readonly node: string;
  readonly used: number;
  readonly max: number;
}

/** The value of `field` in an `INFO` reply, or undefined. */
function infoField(info: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:(\\d+)\\r?$`, 'm').exec(info);
  return match ? Number(match[1]) : undefined;
}

/** `INFO memory` of one node, or undefined when it fails or takes longer than `timeoutMs`. */
async function readNode(node: Redis, timeoutMs: number): Promise<NodeMemory | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const info = await Promise.race([
    node.info('memory'),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    }),
  ])
    .catch(() => undefined)
    .finally(() => clearTimeout(timer));
  const used = infoField(info ?? '', 'used_memory');
  const max = infoField(info ?? '', 'maxmemory');
  return used === undefined || max === undefined ? undefined : { node: redisNodeAddress(node), used, max };
}

/**
 * The nodes whose memory counts: the node itself, or every master a cluster client knows.
 * Replicas hold a copy of their master's data and are left out; a promoted replica is a master
 * in the client's map once it refreshes the slots, and is read from then on.
 */
function memoryNodes(redis: RedisClient): Redis[] {
  return isClusterClient(redis) ? redis.nodes('master') : [redis];
}

/**
 * Reads `INFO memory` at every scrape into {@link REDIS_METRIC}'s gauges, labelled
 * {@link REDIS_LABEL}`.node`. On one node: one series. On a Redis Cluster: one series per master
 * the client knows, read in parallel (a cluster `info()` would go to one arbitrary node, and an
 * alert on it would miss the other masters filling up; `maxmemory` is per node, so each master
 * is compared with its own). A node that does not answer within `timeoutMs` is left out of that
 * scrape: reporting 0 would draw a false drop on the dashboard, and a missing series is what
 * Prometheus means by "no reading" (`RedisUnreachable` covers the outage itself). Returns the
 * disposer.
 * @throws RangeError when `timeoutMs` is not a finite number > 0
 */
export function bridgeRedisMemory(
  redis: RedisClient,
  metrics: MetricsRegistry,
  options: RedisMemoryOptions = {},
): { dispose(): void } {
  const { timeoutMs } = { ...defaults, ...options };
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new RangeError(`timeoutMs must be a finite number > 0, got ${timeoutMs}`);
  }
  // prom-client collects the two gauges of one scrape concurrently: the second joins the read
  // the first started, so each node answers one INFO per scrape and both gauges show one reply.
  let reading: Promise<NodeMemory[]> | undefined;
  const read = (): Promise<NodeMemory[]> =>
    (reading ??= Promise.all(memoryNodes(redis).map((node) => readNode(node, timeoutMs)))
      .then((nodes) => nodes.filter((node) => node !== undefined))
      .finally(() => {
        reading = undefined;
      }));
  const gauges = [
    [REDIS_METRIC.memoryUsed, 'used', 'Bytes a Redis node has allocated (INFO memory used_memory)'],
    [REDIS_METRIC.memoryMax, 'max', 'The maxmemory limit of a Redis node in bytes, 0 when unlimited'],
  ] as const;
  const sources = gauges.map(([name, field, help]) =>
    metrics.collectedGauge({ name, help, labelNames: [REDIS_LABEL.node] }).add(async (set) => {
      for (const node of await read()) set({ [REDIS_LABEL.node]: node.node }, node[field]);
    }),
  );
  return { dispose: () => sources.forEach((source) => source.dispose()) };
}
