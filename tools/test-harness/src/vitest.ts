import { afterAll, beforeAll } from 'vitest';
import { startRedis, type RedisServer, type RedisServerOptions } from './redis-server.ts';
import { startRedisCluster, type RedisCluster, type RedisClusterOptions } from './redis-cluster.ts';

/**
 * Registers `beforeAll`/`afterAll` hooks that start a private redis-server for the calling test
 * file (or `describe` block) and always close it, also when tests fail or time out.
 * Read the returned handle's properties inside tests or hooks, not at import time.
 */
export function useRedisServer(options: RedisServerOptions = {}): RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedis(options);
  });
  afterAll(async () => {
    await server?.close();
  });
  const current = (): RedisServer => {
    if (!server) throw new Error('the Redis server is not started yet: use it inside a test or hook');
    return server;
  };
  return {
    get url() {
      return current().url;
    },
    get host() {
      return current().host;
    },
    get port() {
      return current().port;
    },
    get pid() {
      return current().pid;
    },
    stop: () => current().stop(),
    kill: () => current().kill(),
    pause: () => current().pause(),
    resume: () => current().resume(),
    start: () => current().start(),
    restart: () => current().restart(),
    close: () => current().close(),
  };
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start a private Redis Cluster (3 masters, 3
 * replicas by default) for the calling test file and always close it. Read the returned getter
 * inside tests or hooks, not at import time.
 */
export function useRedisCluster(options: RedisClusterOptions = {}): () => RedisCluster {
  let cluster: RedisCluster | undefined;
  beforeAll(async () => {
    cluster = await startRedisCluster(options);
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
  });
  return () => {
    if (!cluster) throw new Error('the Redis Cluster is not started yet: use it inside a test or hook');
    return cluster;
  };
}
