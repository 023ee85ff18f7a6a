import type { ServiceName } from '@shipshape/stack';
import type { ScenarioEnvironment } from './environment.ts';
import { RuntimeSettings } from './runtime-settings.ts';

/** Options of {@link targetEnvironment}. */
export interface TargetEnvironmentOptions {
  /** Base URLs of every replica of each service. */
  readonly urls: Readonly<Record<ServiceName, readonly string[]>>;
  /** The running system's Redis, for runtime settings (chaos) and the dead-letter tool. @default none: refused */
  readonly redisUrl?: string;
  /** Bearer token of the services' operator endpoints (`/config`). @default none */
  readonly adminToken?: string;
}

/**
 * A system that is already running (`npm start`, compose, a cluster behind port-forwards), named
 * with `--target`. Scenarios can load it, read its APIs and `/metrics`, and change runtime
 * settings through its Redis; they cannot signal its processes or restart its Redis.
 */
export function targetEnvironment(options: TargetEnvironmentOptions): ScenarioEnvironment {
  const urls = (service: ServiceName): readonly string[] => options.urls[service];
  const settings = new RuntimeSettings({
    urls,
    ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }),
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
  });
  return {
    mode: 'target',
    urls,
    loadUrls: urls,
    setConfig: (service, values, replica) => settings.set(service, values, replica),
    clearConfig: (service, keys, replica) => settings.clear(service, keys, replica),
    readConfig: (service, replica = 0) => settings.read(options.urls[service][replica]!),
    redisUrl: options.redisUrl,
    local: undefined,
    close: () => settings.close(),
  };
}
