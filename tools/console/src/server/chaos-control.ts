import type { ScenarioEnvironment } from '@shipshape/scenarios';
import { currentOverrides, type ServiceName } from '@shipshape/stack';
import { createRedisClient, type RedisClient } from '@shipshape/service-kit';
import type { ServiceId } from '../shared/console-state.ts';

/** The chaos keys the page offers per service (schema keys under `chaos.`). */
export const chaosKeys: Readonly<Record<ServiceId, readonly string[]>> = {
  user: ['errorRate', 'latencyMs'],
  order: [],
  payment: ['errorRate', 'latencyMs', 'declineRate'],
};

/**
 * Chaos settings of every replica through the runtime override path of `npm run chaos`:
 * `@shipshape/stack`'s `applyOverrides` (checked by the service's own schema, written to
 * `config:<service>` in Redis), then waits until every replica's `GET /config` shows the change
 * (the scenarios' target environment does both).
 */
export class ChaosControl {
  readonly #environment: ScenarioEnvironment;
  readonly #redis: RedisClient;

  constructor(environment: ScenarioEnvironment, redisUrl: string) {
    this.#environment = environment;
    this.#redis = createRedisClient(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    this.#redis.on('error', () => undefined);
  }

  /** The overrides of every service now in Redis (hash field → text). */
  async current(): Promise<Record<ServiceId, Record<string, string>>> {
    const services: ServiceName[] = ['user', 'order', 'payment'];
    const values = await Promise.all(services.map((s) => currentOverrides(this.#redis, s)));
    return { user: values[0]!, order: values[1]!, payment: values[2]! };
  }

  /**
   * Sets `values` (`{ errorRate: 1 }`, bare names mean `chaos.<name>`) on every replica.
   * @throws InvalidOverridesError when the service's schema refuses one (nothing is written)
   */
  async set(service: ServiceId, values: Readonly<Record<string, number>>): Promise<void> {
    await this.#environment.setConfig(service, values);
  }

  /** Removes every override of `service` (as `npm run chaos -- <service> reset`). */
  async reset(service: ServiceId): Promise<void> {
    const keys = Object.keys(await currentOverrides(this.#redis, service));
    if (keys.length > 0) await this.#environment.clearConfig(service, keys);
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
    await this.#environment.close();
  }
}
