import type { ServiceName, Stack } from '@shipshape/stack';
import type { RedisCluster, RedisServer } from '@shipshape/test-harness';
import type { FrontDoor } from './front-door.ts';
import type { ConfigEntry, SettingValue } from './runtime-settings.ts';

/** The three services. */
export const services: readonly ServiceName[] = ['user', 'order', 'payment'];

export type { SettingValue } from './runtime-settings.ts';

/**
 * What a scenario runs against: the system it started on this machine (`local`), or a running
 * system named with `--target`. Faults by signal or Redis restart need `local`.
 */
export interface ScenarioEnvironment {
  readonly mode: 'local' | 'target';
  /** Base URL of every replica of `service` (probes, `/metrics`, `/ready`, audits). */
  urls(service: ServiceName): readonly string[];
  /** Where the load generator sends requests for `service`: the replicas, or a front door. */
  loadUrls(service: ServiceName): readonly string[];
  /**
   * Sets runtime settings on every replica of `service` through Redis overrides (schema keys
   * such as `chaos.errorRate`) and resolves once every replica's `GET /config` shows them. With
   * `replica`, on that replica alone (`config:<service>/<replica>`: the services must run with
   * `CONFIG_INSTANCE=<replica index>`, as the local stack starts them).
   */
  setConfig(
    service: ServiceName,
    values: Readonly<Record<string, SettingValue>>,
    replica?: number,
  ): Promise<void>;
  /** Removes the given runtime overrides (of one replica, with `replica`). */
  clearConfig(service: ServiceName, keys: readonly string[], replica?: number): Promise<void>;
  /** One replica's effective configuration (`GET /config`, with the admin token): key → `{ value, source }`. */
  readConfig(service: ServiceName, replica?: number): Promise<Record<string, ConfigEntry>>;
  /** The system's Redis (dead-letter tool, runtime settings), when known. */
  readonly redisUrl: string | undefined;
  /** The processes and the Redis of a local run; undefined against a target. */
  readonly local: LocalControls | undefined;
  /** Stops what the environment started (processes, Redis, front doors). Idempotent. */
  close(): Promise<void>;
}

/** What a local run controls: the service processes, their Redis, the optional front doors. */
export interface LocalControls {
  readonly stack: Stack;
  /** The private redis-server; with `redisCluster` in the setup, the cluster's first node. */
  readonly redis: RedisServer;
  /** The private Redis Cluster, when the scenario's setup asked for one (`redisCluster`). */
  readonly cluster?: RedisCluster;
  /** The readiness-following balancers the load goes through, when the scenario asked for them. */
  readonly frontDoors: Partial<Record<ServiceName, FrontDoor>>;
}
