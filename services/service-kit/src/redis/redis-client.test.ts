import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  createRedisClient,
  InvalidRedisUrlError,
  isClusterClient,
  isClusterUrl,
  parseRedisUrl,
} from './redis-client.ts';

describe('parseRedisUrl', () => {
  it('leaves a one-node URL to ioredis as it is', () => {
    expect(parseRedisUrl('redis://:pw@a:6380/2')).toEqual({ kind: 'node', url: 'redis://:pw@a:6380/2' });
    expect(parseRedisUrl('rediss://a:6379')).toEqual({ kind: 'node', url: 'rediss://a:6379' });
  });

  it('reads the seed nodes, the shared credentials and TLS of a cluster URL', () => {
    expect(parseRedisUrl('redis-cluster://a:7000,b:7001,[::1]:7002')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      username: undefined,
      password: undefined,
      tls: false,
    });
    expect(parseRedisUrl('rediss-cluster://app:p%40ss@a:7000,b/')).toMatchObject({
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 6379 },
      ],
      username: 'app',
      password: 'p@ss',
      tls: true,
    });
    expect(parseRedisUrl('redis-cluster://:secret@a:7000')).toMatchObject({
      username: undefined,
      password: 'secret',
    });
  });

  it('refuses a cluster URL without nodes, with a bad port or with a database', () => {
    for (const url of [
      'redis-cluster://',
      'redis-cluster://a:0',
      'redis-cluster://a:7000/1',
      'redis-cluster://a:x',
    ]) {
      expect(() => parseRedisUrl(url), url).toThrow(InvalidRedisUrlError);
    }
  });

  it('tells cluster URLs apart', () => {
    expect(isClusterUrl('redis-cluster://a:1')).toBe(true);
    expect(isClusterUrl('REDISS-CLUSTER://a:1')).toBe(true);
    expect(isClusterUrl('redis://a:1')).toBe(false);
  });
});

describe('createRedisClient', () => {
  it('builds a Redis for one node and a Cluster with per-node options for a cluster', () => {
    const node = createRedisClient('redis://127.0.0.1:1', { lazyConnect: true });
    expect(node).toBeInstanceOf(Redis);
    expect(isClusterClient(node)).toBe(false);
    const retry = (times: number): number => times * 10;
    const cluster = createRedisClient('rediss-cluster://u:p@127.0.0.1:1,127.0.0.1:2', {
      lazyConnect: true,
      enableOfflineQueue: false,
      commandTimeout: 50,
      retryStrategy: retry,
    });
    expect(cluster).toBeInstanceOf(Cluster);
    expect(isClusterClient(cluster)).toBe(true);
    const options = (cluster as Cluster).options;
    expect(options).toMatchObject({ lazyConnect: true, enableOfflineQueue: false });
    expect(options.clusterRetryStrategy?.(3, undefined)).toBe(30);
    expect(options.redisOptions).toMatchObject({ commandTimeout: 50, username: 'u', password: 'p', tls: {} });
  });
});
