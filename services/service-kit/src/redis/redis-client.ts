import { lookup } from 'node:dns';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/**
 * A client of the platform's Redis: ioredis `Redis` for one node, `Cluster` for a Redis Cluster.
 * Both have the same command methods; `isCluster` tells them apart.
 */
export type RedisClient = Redis | Cluster;

/** Where `REDIS_URL` points: one node, or the seed nodes of a Redis Cluster. */
export type RedisTarget =
  | { readonly kind: 'node'; readonly url: string }
  | {
      readonly kind: 'cluster';
      /** Seed nodes; the client discovers the others from them. */
      readonly nodes: readonly { host: string; port: number }[];
      readonly username: string | undefined;
      readonly password: string | undefined;
      /** True for `rediss-cluster://`: TLS to every node, as `rediss://` for one node. */
      readonly tls: boolean;
    };

/** Thrown for a `redis-cluster://` URL that cannot be read; the message names the problem. */
export class InvalidRedisUrlError extends Error {
  override readonly name = 'InvalidRedisUrlError';
  readonly code = 'INVALID_REDIS_URL';
}

const clusterSchemes = new Map([
  ['redis-cluster:', false],
  ['rediss-cluster:', true],
]);

/** True when `url` names a Redis Cluster (`redis-cluster://` or `rediss-cluster://`). */
export function isClusterUrl(url: string): boolean {
  return /^rediss?-cluster:\/\//i.test(url.trim());
}

/**
 * Reads `REDIS_URL`. One node: `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS),
 * handed to ioredis as is. A cluster: `redis-cluster://[user:password@]host:port,host:port,…`
 * (`rediss-cluster://` for TLS): the seed nodes, comma-separated, with the credentials every node
 * shares. A cluster has no database number (a path is refused).
 * @throws InvalidRedisUrlError for a cluster URL without nodes, with a bad port, or with a path
 */
export function parseRedisUrl(url: string): RedisTarget {
  const trimmed = url.trim();
  if (!isClusterUrl(trimmed)) return { kind: 'node', url: trimmed };
  const scheme = trimmed.slice(0, trimmed.indexOf('//')).toLowerCase();
  const rest = trimmed.slice(trimmed.indexOf('//') + 2);
  const at = rest.lastIndexOf('@');
  const credentials = at >= 0 ? rest.slice(0, at) : '';
  const hosts = (at >= 0 ? rest.slice(at + 1) : rest).replace(/\/$/, '');
  if (hosts.includes('/') || hosts.includes('?'))
    throw new InvalidRedisUrlError(
      'a redis-cluster:// URL has no path or query (a cluster has only database 0)',
    );
  const nodes = hosts
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.lastIndexOf(':');
      const host = (colon > 0 ? entry.slice(0, colon) : entry).replace(/^\[|\]$/g, '');
      const port = colon > 0 ? Number(entry.slice(colon + 1)) : 6379;
      if (!Number.isInteger(port) || port < 1 || port > 65_535)
        throw new InvalidRedisUrlError(`bad port in the redis-cluster:// node "${entry}"`);
      return { host, port };
    });
  if (nodes.length === 0)
    throw new InvalidRedisUrlError('a redis-cluster:// URL needs at least one host:port');
  const colon = credentials.indexOf(':');
  const decode = (value: string): string | undefined =>
    value === '' ? undefined : decodeURIComponent(value);
  return {
    kind: 'cluster',
    nodes,
    username: decode(colon >= 0 ? credentials.slice(0, colon) : ''),
    password: decode(colon >= 0 ? credentials.slice(colon + 1) : credentials),
    tls: clusterSchemes.get(scheme) ?? false,
  };
}

/**
 * The cluster client's lookup of its seed hostnames. ioredis resolves every seed at each
 * (re)connect with `Promise.all`, so one seed that no longer resolves (a node's container
 * stopped, its pod gone from DNS) fails the whole connect, again and again, though the other
 * seeds answer. Here a name that does not resolve stays a name: that seed fails on its own when
 * tried and the client asks the next one for the slot map.
 */
export function seedLookup(hostname: string, callback: (error: null, address: string) => void): void {
  lookup(hostname, (error, address) => callback(null, error ? hostname : address));
}

/** ioredis options that belong to the `Cluster` itself rather than to each node's connection. */
const clusterLevel = [
  'enableOfflineQueue',
  'enableReadyCheck',
  'lazyConnect',
  'enableAutoPipelining',
  'scripts',
] as const;

/**
 * The one way every Redis user of the platform gets its client (storage, outbox relay, BullMQ,
 * rate limiters, config override source, CLIs, tools): `new Redis(url, options)` for one node,
 * `new Cluster(seeds, …)` for a `redis-cluster://` URL. The same `options` apply to every node
 * of a cluster; `retryStrategy` becomes the cluster's reconnect strategy, and a `MOVED`/`ASK`
 * redirect or a failover (`CLUSTERDOWN`, `TRYAGAIN`) is retried by ioredis within
 * `cluster` options (defaults: 16 redirections, 100 ms between tries while the cluster is down,
 * the slot map re-read every 1 s so a failover is followed within a second, and a seed whose
 * name no longer resolves skipped instead of failing every reconnect: {@link seedLookup}).
 * @param url `REDIS_URL` (see {@link parseRedisUrl})
 * @param options ioredis options, as for one node
 * @param cluster extra `Cluster` options (ignored for one node)
 * @throws InvalidRedisUrlError for an unreadable cluster URL
 */
export function createRedisClient(
  url: string,
  options: RedisOptions = {},
  cluster: ClusterOptions = {},
): RedisClient {
  const target = parseRedisUrl(url);
  if (target.kind === 'node') return new Redis(target.url, options);
  const { retryStrategy, ...perNode } = options;
  const top: ClusterOptions = {};
  for (const key of clusterLevel) {
    if (perNode[key] !== undefined) (top as Record<string, unknown>)[key] = perNode[key];
  }
  return new Cluster([...target.nodes], {
    ...top,
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    retryDelayOnClusterDown: 100,
    retryDelayOnFailover: 100,
    // ioredis's 5 s: a master that vanished without a reset keeps getting commands (and each
    // waits out its timeout) until the slot map names its promoted replica.
    slotsRefreshInterval: 1_000,
    dnsLookup: seedLookup,
    ...cluster,
    redisOptions: {
      ...perNode,
      ...(target.username === undefined ? {} : { username: target.username }),
      ...(target.password === undefined ? {} : { password: target.password }),
      ...(target.tls ? { tls: { ...(typeof perNode.tls === 'object' ? perNode.tls : {}) } } : {}),
      ...cluster.redisOptions,
    },
  });
}

/** True when `client` is an ioredis `Cluster` (a `redis-cluster://` URL). */
export function isClusterClient(client: RedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

/**
 * `host:port` of one node's connection as the client holds it (for a cluster node, the address
 * the cluster announced, after any `natMap`): the key of ioredis' slot map and the `redis_node`
 * label of the memory gauges.
 */
export function redisNodeAddress(node: Redis): string {
  return `${node.options.host}:${node.options.port}`;
}

/**
 * PING for a readiness check: one node's answer, or on a cluster the master of every slot as the
 * client maps them. A master that died leaves its slots pointing at a node the client no longer
 * holds: not ready (and the slot map is refreshed, so readiness returns once a replica has taken
 * over and the cluster says so).
 */
export async function pingRedis(client: RedisClient): Promise<void> {
  if (!isClusterClient(client)) {
    await client.ping();
    return;
  }
  const owners = new Set(client.slots.map((nodes) => nodes?.[0]).filter((key): key is string => !!key));
  if (owners.size === 0) throw new Error('the Redis Cluster client has no slot map yet');
  const masters = new Map(client.nodes('master').map((node) => [redisNodeAddress(node), node]));
  const missing = [...owners].filter((key) => !masters.has(key));
  if (missing.length > 0) {
    client.refreshSlotsCache();
    throw new Error(`no connection to the Redis Cluster master(s) ${missing.join(', ')}`);
  }
  await Promise.all([...owners].map((key) => masters.get(key)!.ping()));
}
