import { applyOverrides, type ServiceName } from '@shipshape/stack';
import { createRedisClient, type RedisClient } from '@shipshape/service-kit';
import { ScenarioUnsupportedError } from '../framework/scenario-unsupported-error.ts';

/** A runtime setting value, as written to a Redis override. */
export type SettingValue = string | number | boolean;

/** One entry of a service's `GET /config`: the effective value and where it came from. */
export interface ConfigEntry {
  readonly value: unknown;
  readonly source: string;
}

/** Options of {@link RuntimeSettings}. */
export interface RuntimeSettingsOptions {
  /** The system's Redis (overrides live in `config:<service>`). @default none: `set`/`clear` refuse */
  readonly redisUrl?: string;
  /** Base URLs of every replica of a service. */
  readonly urls: (service: ServiceName) => readonly string[];
  /** Bearer token of the operator endpoints (`/config`). @default none */
  readonly adminToken?: string;
  /** How long replicas may take to apply a change, ms. @default 10_000 */
  readonly timeoutMs?: number;
}

/**
 * Runtime settings of a running system: writes Redis overrides (checked by the service's schema,
 * as `npm run chaos` does, through `@shipshape/stack`'s `applyOverrides`) and waits until every
 * replica's `GET /config` shows the change, sending the admin bearer token when there is one.
 */
export class RuntimeSettings {
  readonly #options: RuntimeSettingsOptions;
  #redis: RedisClient | undefined;

  constructor(options: RuntimeSettingsOptions) {
    this.#options = options;
  }

  /**
   * Sets `values` (schema keys) on every replica of `service`, or on one (`replica`, the
   * services' `CONFIG_INSTANCE`).
   */
  async set(
    service: ServiceName,
    values: Readonly<Record<string, SettingValue>>,
    replica?: number,
  ): Promise<void> {
    const source = sourceOf(replica);
    const { set } = await applyOverrides(this.#client(), service, values, [], instanceOf(replica));
    await this.#waitFor(service, replica, (config) =>
      set.every(
        (o) =>
          config[o.path]?.source.startsWith(source) === true &&
          JSON.stringify(config[o.path]?.value) === JSON.stringify(o.value),
      ),
    );
  }

  /** Removes the overrides of `keys` (of one replica, with `replica`). */
  async clear(service: ServiceName, keys: readonly string[], replica?: number): Promise<void> {
    const source = sourceOf(replica);
    const { removed } = await applyOverrides(this.#client(), service, {}, keys, instanceOf(replica));
    await this.#waitFor(service, replica, (config) =>
      removed.every((path) => config[path]?.source.startsWith(source) !== true),
    );
  }

  /** `GET <url>/config` (with the admin token). @throws on a non-200 answer */
  async read(url: string): Promise<Record<string, ConfigEntry>> {
    const headers: Record<string, string> =
      this.#options.adminToken === undefined ? {} : { authorization: `Bearer ${this.#options.adminToken}` };
    const response = await fetch(`${url}/config`, { headers, signal: AbortSignal.timeout(2_000) });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`GET ${url}/config answered ${response.status}`);
    }
    return (await response.json()) as Record<string, ConfigEntry>;
  }

  async close(): Promise<void> {
    await this.#redis?.quit().catch(() => this.#redis?.disconnect());
    this.#redis = undefined;
  }

  async #waitFor(
    service: ServiceName,
    replica: number | undefined,
    applied: (config: Record<string, ConfigEntry>) => boolean,
  ): Promise<void> {
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    const deadline = performance.now() + timeoutMs;
    const all = this.#options.urls(service);
    for (const url of replica === undefined ? all : all.slice(replica, replica + 1)) {
      let last: string;
      for (;;) {
        try {
          if (applied(await this.read(url))) break;
          last = 'not applied yet';
        } catch (error) {
          last = (error as Error).message;
        }
        if (performance.now() > deadline) {
          throw new Error(`${service} at ${url} did not apply the settings within ${timeoutMs} ms (${last})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  #client(): RedisClient {
    if (this.#options.redisUrl === undefined) {
      throw new ScenarioUnsupportedError(
        'changing runtime settings of a target needs its Redis: pass --redis-url',
      );
    }
    if (!this.#redis) {
      this.#redis = createRedisClient(this.#options.redisUrl, { maxRetriesPerRequest: 2 });
      this.#redis.on('error', () => undefined);
    }
    return this.#redis;
  }
}

/** The `CONFIG_INSTANCE` of a replica (its index), or none for every replica. */
function instanceOf(replica: number | undefined): string | undefined {
  return replica === undefined ? undefined : String(replica);
}

/** How `GET /config` names the Redis layer a setting came from. */
function sourceOf(replica: number | undefined): string {
  return replica === undefined ? 'redis:' : 'redis-instance:';
}
