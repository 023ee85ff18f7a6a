/**
 * The Redis a knee variant runs on: one private redis-server, or a private Redis Cluster (3
 * masters + 3 replicas, test harness `startRedisCluster`), with what the bench reads from it —
 * a client, the masters to ask for per-node figures, and the pids of every redis-server.
 */
import { createRedisClient, isClusterClient, type RedisClient } from '@shipshape/service-kit';
import { startRedis, startRedisCluster } from '@shipshape/test-harness';
import type { Redis } from 'ioredis';

/** A private Redis (one node or a cluster) owned by one bench variant. */
export interface BenchRedis {
  /** `redis://…` or `redis-cluster://…`: the services' `REDIS_URL`. */
  readonly url: string;
  /** A client that has answered PING: ioredis `Redis`, or a `Cluster` that knows its masters. */
  readonly client: RedisClient;
  /** The pids of every redis-server process now (1, or 6 on a cluster: replicas included). */
  pids(): number[];
  /** Disconnects the client and stops every redis-server. */
  close(): Promise<void>;
}

/** Starts a private redis-server, or with `cluster` a private Redis Cluster, and connects to it. */
export async function startBenchRedis(cluster: boolean): Promise<BenchRedis> {
  const servers = cluster ? await startRedisCluster() : await startRedis();
  const nodes = 'nodes' in servers ? servers.nodes : [servers];
  let client: RedisClient;
  try {
    client = await connectBenchClient(servers.url);
  } catch (error) {
    await servers.close();
    throw error;
  }
  return {
    url: servers.url,
    client,
    pids: () => nodes.map((node) => node.pid).filter((pid): pid is number => pid !== undefined),
    close: async () => {
      client.disconnect();
      await servers.close();
    },
  };
}

/**
 * A client of `url` (the service kit's `createRedisClient`: a `Cluster` for `redis-cluster://`)
 * once it has answered PING, so that a cluster client has loaded its slot map and
 * {@link masterNodes} lists every master.
 */
export async function connectBenchClient(url: string): Promise<RedisClient> {
  const client = createRedisClient(url);
  try {
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}

/**
 * The nodes to send a per-node command to (`INFO`, `SCAN`): the client itself on one node, each
 * master's connection on a cluster (a `Cluster` would send such a command to one node of its
 * choosing). Replicas are left out: they hold copies of the masters' keys.
 */
export function masterNodes(client: RedisClient): Redis[] {
  return isClusterClient(client) ? client.nodes('master') : [client];
}
