import { randomBytes } from 'node:crypto';
import { freePort } from '@shipshape/test-harness';
import { createRedisClient, type RedisClient } from '@shipshape/service-kit';
import { ChildServiceProcess } from './child-service-process.ts';
import { childEnv } from './child-env.ts';
import { applyOverrides, clearServiceOverrides } from './overrides/apply-overrides.ts';
import type { OverrideValue, ValidatedOverride } from './overrides/validate-overrides.ts';
import { waitForConfig } from './overrides/wait-for-config.ts';
import type { ServiceProcess } from './service-process.ts';
import { serviceNames, type ServiceName } from './services.ts';
import { stackDefaults, type StackOptions } from './stack-options.ts';

/** The running system; see {@link startStack}. */
export interface Stack extends AsyncDisposable {
  /** The Redis every process uses. */
  readonly redisUrl: string;
  /** The operator token of `/config` and `/admin/*` on every process (`Authorization: Bearer …`). */
  readonly adminToken: string;
  /** Every process, in start order (user, payment, order; replicas in order). */
  readonly processes: readonly ServiceProcess[];
  /** Base URL of one replica (`http://127.0.0.1:<port>`). @throws RangeError for a missing replica */
  url(service: ServiceName, replica?: number): string;
  /** Base URLs of every replica of `service` (what `*_SERVICE_URL` lists). */
  urls(service: ServiceName): string[];
  /** One replica. @throws RangeError for a missing replica */
  process(service: ServiceName, replica?: number): ServiceProcess;
  /**
   * Sets runtime settings of every replica of `service` through Redis overrides and resolves once
   * every running replica's `GET /config` shows them. Keys are schema keys (`chaos.errorRate`,
   * `rateLimit.limit`); a bare name means `chaos.<name>` (`errorRate`). Values are checked by the
   * service's own schema first; nothing is written when one is refused.
   * @returns what was set (schema key, stored text, coerced value)
   * @throws InvalidOverridesError listing every refused key
   */
  setChaos(
    service: ServiceName,
    values: Readonly<Record<string, OverrideValue>>,
  ): Promise<ValidatedOverride[]>;
  /**
   * Removes runtime overrides of `service` (the given keys, or all) and resolves once every
   * running replica's `GET /config` no longer shows them from Redis.
   */
  clearChaos(service: ServiceName, keys?: readonly string[]): Promise<void>;
  /**
   * Stops every process gracefully (order first, so its worker drains while payment still
   * answers; SIGKILL after `stopTimeoutMs`) and closes the stack's Redis connection. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * Starts the real system on this machine: for each service, `replicas` child processes
 * `node --import @shipshape/observability/register services/<service>/dist/main.js` on
 * 127.0.0.1 (free ports unless given), against `redisUrl`, and waits until every one answers
 * `GET /ready` 200. User and payment start first, then order (its readiness needs them).
 * The services must be built (`turbo run build --filter=./services/*`). Children never outlive
 * this process (exit hook and a watchdog per child). If any process fails to start, every
 * started one is stopped and the error carries the failing process's last output.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const settings = { ...stackDefaults, ...stripUndefined(options) };
  const adminToken = options.env?.['ADMIN__TOKEN'] ?? options.adminToken ?? randomBytes(24).toString('hex');
  const ports = await assignPorts(options);
  const urls = Object.fromEntries(
    serviceNames.map((service) => [service, ports[service].map((port) => `http://127.0.0.1:${port}`)]),
  ) as Record<ServiceName, string[]>;
  const processes = serviceNames.flatMap((service) =>
    ports[service].map(
      (port, replica) =>
        new ChildServiceProcess({
          service,
          replica,
          port,
          env: childEnv(options, { ...settings, service, replica, port, urls, adminToken }),
          logs: settings.logs,
          logLines: settings.logLines,
          readyTimeoutMs: settings.readyTimeoutMs,
          stopTimeoutMs: settings.stopTimeoutMs,
        }),
    ),
  );
  const stack = new RunningStack(options.redisUrl, adminToken, processes);
  try {
    for (const service of serviceNames)
      await Promise.all(processes.filter((p) => p.service === service).map((p) => p.start()));
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

class RunningStack implements Stack {
  readonly redisUrl: string;
  readonly adminToken: string;
  readonly processes: readonly ChildServiceProcess[];
  #redis: RedisClient | undefined;
  #stopping: Promise<void> | undefined;

  constructor(redisUrl: string, adminToken: string, processes: readonly ChildServiceProcess[]) {
    this.redisUrl = redisUrl;
    this.adminToken = adminToken;
    this.processes = processes;
  }

  url(service: ServiceName, replica = 0): string {
    return this.process(service, replica).url;
  }

  urls(service: ServiceName): string[] {
    return this.processes.filter((p) => p.service === service).map((p) => p.url);
  }

  process(service: ServiceName, replica = 0): ServiceProcess {
    const found = this.processes.find((p) => p.service === service && p.replica === replica);
    if (!found) throw new RangeError(`the stack has no ${service} replica ${replica}`);
    return found;
  }

  async setChaos(
    service: ServiceName,
    values: Readonly<Record<string, OverrideValue>>,
  ): Promise<ValidatedOverride[]> {
    const { set } = await applyOverrides(this.#client(), service, values);
    await waitForConfig(
      this.#running(service),
      (config) =>
        set.every((o) => {
          const entry = config[o.path];
          return entry?.source.startsWith('redis:') === true && sameValue(entry.value, o.value);
        }),
      { adminToken: this.adminToken },
    );
    return set;
  }

  async clearChaos(service: ServiceName, keys?: readonly string[]): Promise<void> {
    let paths: string[] | undefined;
    if (keys === undefined) await clearServiceOverrides(this.#client(), service);
    else paths = (await applyOverrides(this.#client(), service, {}, keys)).removed;
    await waitForConfig(
      this.#running(service),
      (config) =>
        Object.entries(config).every(
          ([path, entry]) =>
            (paths !== undefined && !paths.includes(path)) || !entry.source.startsWith('redis:'),
        ),
      { adminToken: this.adminToken },
    );
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  async #stop(): Promise<void> {
    for (const service of [...serviceNames].reverse())
      await Promise.all(this.processes.filter((p) => p.service === service).map((p) => p.stop()));
    await this.#redis?.quit().catch(() => this.#redis?.disconnect());
  }

  #running(service: ServiceName): ChildServiceProcess[] {
    return this.processes.filter((p) => p.service === service && p.running);
  }

  #client(): RedisClient {
    if (!this.#redis) {
      this.#redis = createRedisClient(this.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
      this.#redis.on('error', () => undefined);
    }
    return this.#redis;
  }
}

async function assignPorts(options: StackOptions): Promise<Record<ServiceName, number[]>> {
  const taken = new Set<number>(serviceNames.flatMap((s) => options.ports?.[s] ?? []));
  const result = {} as Record<ServiceName, number[]>;
  for (const service of serviceNames) {
    const count = options.replicas?.[service] ?? 1;
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`replicas.${service} must be an integer >= 0, got ${count}`);
    const given = options.ports?.[service] ?? [];
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      let port = given[i];
      while (port === undefined || (i >= given.length && taken.has(port))) port = await freePort();
      taken.add(port);
      ports.push(port);
    }
    result[service] = ports;
  }
  return result;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
