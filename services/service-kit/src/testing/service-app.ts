import { once } from 'node:events';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, ValuesSource, type Config, type ConfigSource } from '@shipshape/config';
import { createHealth } from '@shipshape/observability/health';
import { createLogger } from '@shipshape/observability/logging';
import { MetricsRegistry } from '@shipshape/observability/metrics';
import { type Closer } from '@shipshape/observability/shutdown';
import { RedisRateLimiter, rateLimitRedisOptions } from '@shipshape/resilience';
import { Redis } from 'ioredis';
import { afterEach } from 'vitest';
import type * as z from 'zod';
import { httpServerOptions } from '../http/server-limits.ts';
import { securityConfigSource } from '../security/config-source.ts';
import { ServiceSecurity } from '../security/service-security.ts';
import type { RunServiceConfig, ServiceContext } from '../service/run-service.ts';

/** A running app on 127.0.0.1 with its collaborators, for assertions. */
export interface RunningServiceApp<S extends z.ZodType<RunServiceConfig>> {
  /** `http://127.0.0.1:<port>`, or `https://…` when the values enable `tls`. */
  readonly url: string;
  readonly redis: Redis;
  readonly config: Config<S>;
  readonly metrics: MetricsRegistry;
  readonly server: Server;
}

/** Options of the starter {@link useServiceApp} returns, common to every service. */
export interface StartServiceAppOptions {
  /** Config values (nested like the schema) on top of the defaults. @default {} */
  values?: object;
  /** Extra config sources above `values` (e.g. a RedisSource). @default [] */
  sources?: ConfigSource[];
  /** Attach a Redis rate limiter following `rateLimit.*`. @default false */
  rateLimit?: boolean;
}

/** Collaborators the test starter hands the app factory (no limiter unless asked for). */
export type TestServiceContext<S extends z.ZodType<RunServiceConfig>> = Omit<
  ServiceContext<S>,
  'rateLimiter'
> & {
  rateLimiter?: RedisRateLimiter;
};

/** Options of {@link useServiceApp}. */
export interface UseServiceAppOptions<
  S extends z.ZodType<RunServiceConfig>,
  O extends StartServiceAppOptions,
> {
  /** The service name (`service` label, logger). */
  service: string;
  /** The service's configuration schema. */
  schema: S;
  /** Builds the app from the collaborators and the starter's options (service-specific ones too). */
  createApp(context: TestServiceContext<S>, options: O): RequestListener;
}

/**
 * Registers cleanup and returns a starter: each call loads the config from `values` (no
 * environment), builds the app against the harness Redis (silent logger, uncached health,
 * optional fixed-window limiter) and listens on 127.0.0.1:0 — over HTTPS with mutual TLS when
 * the values enable `tls` (as `runService` does); everything is closed after each test.
 */
export function useServiceApp<S extends z.ZodType<RunServiceConfig>, O extends StartServiceAppOptions>(
  redisUrl: () => string,
  options: UseServiceAppOptions<S, O>,
): (startOptions?: O) => Promise<RunningServiceApp<S>> {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async (startOptions = {} as O) => {
    const config = await loadConfig({
      schema: options.schema,
      sources: [new ValuesSource({ values: startOptions.values ?? {} }), ...(startOptions.sources ?? [])],
      watch: (startOptions.sources ?? []).length > 0,
      env: {},
    });
    cleanups.push(() => config.close());
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    redis.on('error', () => {});
    cleanups.push(() => redis.quit().catch(() => {}));
    const metrics = new MetricsRegistry({ service: options.service, defaultMetrics: false });
    const logger = createLogger({ service: options.service, level: 'silent' });
    const health = createHealth({ checks: { redis: () => redis.ping() }, cacheMs: 0, timeoutMs: 500 });
    let rateLimiter: RedisRateLimiter | undefined;
    if (startOptions.rateLimit) {
      const limiterClient = new Redis(redisUrl(), rateLimitRedisOptions());
      limiterClient.on('error', () => {});
      await once(limiterClient, 'ready');
      cleanups.push(() => limiterClient.quit().catch(() => {}));
      const { limit, windowMs } = config.get().rateLimit;
      rateLimiter = new RedisRateLimiter({
        client: limiterClient,
        name: `test-${crypto.randomUUID()}`,
        algorithm: 'fixed-window',
        limit,
        windowMs,
      });
    }
    // Service closers (a queue worker, say) run after the test, before Redis quits.
    const onShutdown = (closer: Closer): void =>
      void cleanups.push(async () => {
        await closer.close();
      });
    const security = new ServiceSecurity({ config: securityConfigSource(config), metrics, logger });
    cleanups.push(() => Promise.resolve(security.close()));
    const context: TestServiceContext<S> = {
      config,
      redis,
      metrics,
      logger,
      health,
      clientTls: security.clientTls,
      onShutdown,
    };
    if (rateLimiter) context.rateLimiter = rateLimiter;
    const server = security.createServer(
      options.createApp(context, startOptions),
      httpServerOptions(config.get().http),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => {});
    });
    const { port } = server.address() as AddressInfo;
    const scheme = security.tlsEnabled ? 'https' : 'http';
    return { url: `${scheme}://127.0.0.1:${port}`, redis, config, metrics, server };
  };
}

/**
 * A parsed response body with the fields the services' tests read (everything else `unknown`):
 * the problem fields, the resources of the three services, the operational documents.
 */
export interface ServiceTestBody {
  [key: string]: unknown;
  code?: string;
  errors?: { path: string; message: string }[];
  id?: string;
  name?: string;
  status?: unknown;
  totalCents?: number;
  items?: { id: string }[];
  nextCursor?: string | null;
  openapi?: string;
  paths?: Record<string, unknown>;
  checks?: Record<string, { status: string }>;
  failing?: string[];
  redisUrl?: { value: unknown };
}

/** What {@link defineAppStarter} returns: a service's test starter and its JSON client. */
export interface AppStarter<S extends z.ZodType<RunServiceConfig>, O extends StartServiceAppOptions> {
  /**
   * Registers cleanup and returns a starter: each call builds the app against the harness Redis
   * at `redisUrl()` and listens on 127.0.0.1:0; everything is closed after each test
   * ({@link useServiceApp}).
   */
  readonly useApp: (redisUrl: () => string) => (startOptions?: O) => Promise<RunningServiceApp<S>>;
  /** {@link sendJson}: status, headers and the parsed body (`{}` if not JSON). */
  readonly send: typeof sendJson<ServiceTestBody>;
}

/**
 * The one `startApp` test helper of the services: a service names itself, its schema and how
 * its app is built from the test collaborators, and gets `useApp` and `send` for its tests.
 *
 * ```ts
 * export const { useApp, send } = defineAppStarter({
 *   service: 'user',
 *   schema: configSchema,
 *   createApp: ({ redis, ...deps }) => createApp({ ...deps, repository: new UserRepository({ redis }) }),
 * });
 * ```
 */
export function defineAppStarter<
  S extends z.ZodType<RunServiceConfig>,
  O extends StartServiceAppOptions = StartServiceAppOptions,
>(options: UseServiceAppOptions<S, O>): AppStarter<S, O> {
  return {
    useApp: (redisUrl) => useServiceApp(redisUrl, options),
    send: (url, init) => sendJson<ServiceTestBody>(url, init),
  };
}

/** Options of {@link sendJson}. */
export interface SendJsonInit {
  /** @default POST with a body, else GET */
  method?: string;
  /** Sent as JSON with `content-type: application/json`. */
  body?: unknown;
  /** Sent as is (with `content-type: application/json`), for malformed bodies and raw bytes. */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** Sends JSON (or a raw string body) and returns status, headers and the parsed body (`{}` if not JSON). */
export async function sendJson<Body = ServiceTestBody>(
  url: string,
  init: SendJsonInit = {},
): Promise<{ status: number; headers: Headers; body: Body; text: string }> {
  const hasBody = init.body !== undefined || init.raw !== undefined;
  const response = await fetch(url, {
    method: init.method ?? (hasBody ? 'POST' : 'GET'),
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  let body = {} as Body;
  try {
    body = JSON.parse(text) as Body;
  } catch {
    // Not JSON (a 1 MB echo, an HTML error page): tests assert on status and `text` instead.
  }
  return { status: response.status, headers: response.headers, body, text };
}
