import { randomBytes } from 'node:crypto';
import { startStack, type ServiceName, type Stack } from '@shipshape/stack';
import { startRedis, startRedisCluster, type RedisCluster, type RedisServer } from '@shipshape/test-harness';
import type { LocalControls, ScenarioEnvironment } from './environment.ts';
import { startFrontDoor, type FrontDoor } from './front-door.ts';
import { RuntimeSettings } from './runtime-settings.ts';

/** What a scenario needs started on this machine. */
export interface LocalSetup {
  /** Replicas per service. @default 1 each */
  readonly replicas?: Partial<Record<ServiceName, number>>;
  /** Environment of every service process (on top of {@link baseServiceEnv}). */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment per service, applied after `env`. */
  readonly serviceEnv?: Partial<Record<ServiceName, Readonly<Record<string, string>>>>;
  /** Extra `redis-server` arguments (persistence for a Redis restart, say). @default none */
  readonly redisArgs?: readonly string[];
  /**
   * Run on a private Redis Cluster (3 masters + 3 replicas, `cluster-node-timeout` in ms) instead
   * of one redis-server; `redisArgs` then apply to every node. @default undefined (one node)
   */
  readonly redisCluster?: { readonly nodeTimeoutMs: number };
  /** Services whose load goes through a readiness-following front door. @default none */
  readonly frontDoors?: readonly ServiceName[];
}

/** Options of {@link startLocalEnvironment}. */
export interface LocalEnvironmentOptions {
  readonly setup: LocalSetup;
  /** Print every service log line, prefixed, to stdout. @default false (kept in memory) */
  readonly showLogs?: boolean;
  /** `LOG_LEVEL` of the services. @default 'warn' (info logs every request: CPU the load needs) */
  readonly logLevel?: string;
  /** The services' admin token (`ADMIN__TOKEN`, guards `/config`). @default a random one per run */
  readonly adminToken?: string;
}

/**
 * Settings every scenario's services get. The load comes from one client (127.0.0.1), and the
 * order service calls user and payment from 127.0.0.1 too, so the inbound per-client limit
 * (100 per minute by default) would turn every scenario into a rate-limit scenario; it is lifted
 * unless the scenario sets its own.
 */
export const baseServiceEnv: Readonly<Record<string, string>> = {
  RATE_LIMIT__LIMIT: '1000000',
  RATE_LIMIT__WINDOW_MS: '1000',
};

/**
 * Starts a private `redis-server` (free 127.0.0.1 port, never 6379) and the three services as
 * real processes through `@shipshape/stack`, plus the requested front doors. Everything stops on
 * `close()`; the harness watchdogs also kill Redis and the children if this process dies.
 */
export async function startLocalEnvironment(options: LocalEnvironmentOptions): Promise<ScenarioEnvironment> {
  const { setup } = options;
  const args = [...(setup.redisArgs ?? [])];
  const cluster: RedisCluster | undefined = setup.redisCluster
    ? await startRedisCluster({ args, nodeTimeoutMs: setup.redisCluster.nodeTimeoutMs })
    : undefined;
  const redis: RedisServer = cluster ? cluster.nodes[0]! : await startRedis({ args });
  const redisUrl = cluster ? cluster.url : redis.url;
  let stack: Stack | undefined;
  const frontDoors: Partial<Record<ServiceName, FrontDoor>> = {};
  // The operator endpoints (`/config`) want a bearer token; unless given, this run makes up its own.
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
  const settings = new RuntimeSettings({
    redisUrl,
    urls: (service) => stack?.urls(service) ?? [],
    adminToken,
  });
  const close = async (): Promise<void> => {
    await settings.close();
    await Promise.all(Object.values(frontDoors).map((door) => door.close()));
    await stack?.stop();
    await (cluster ?? redis).close();
  };
  try {
    stack = await startStack({
      redisUrl,
      ...(setup.replicas === undefined ? {} : { replicas: setup.replicas }),
      env: { ...baseServiceEnv, ADMIN__TOKEN: adminToken, ...setup.env },
      ...(setup.serviceEnv === undefined ? {} : { serviceEnv: setup.serviceEnv }),
      logs: options.showLogs === true ? 'prefixed' : 'capture',
      logLevel: options.logLevel ?? 'warn',
    });
    for (const service of setup.frontDoors ?? []) {
      frontDoors[service] = await startFrontDoor({ backends: stack.urls(service) });
    }
  } catch (error) {
    await close();
    throw error;
  }
  const running = stack;
  const local: LocalControls = { stack: running, redis, ...(cluster ? { cluster } : {}), frontDoors };
  let closing: Promise<void> | undefined;
  return {
    mode: 'local',
    urls: (service) => running.urls(service),
    loadUrls: (service) => (frontDoors[service] ? [frontDoors[service].url] : running.urls(service)),
    setConfig: (service, values, replica) => settings.set(service, values, replica),
    clearConfig: (service, keys, replica) => settings.clear(service, keys, replica),
    readConfig: (service, replica = 0) => settings.read(running.url(service, replica)),
    redisUrl,
    local,
    close() {
      closing ??= close();
      return closing;
    },
  };
}
