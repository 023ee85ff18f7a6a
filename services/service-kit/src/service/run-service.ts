import { createServer, type RequestListener } from 'node:http';
import {
  type Config,
  type ConfigPath,
  defaultSources,
  exitOnConfigError,
  loadConfig,
} from '@shipshape/config';
import { RedisSource } from '@shipshape/config/redis';
import { createHealth, type Health } from '@shipshape/observability/health';
import { createLogger } from '@shipshape/observability/logging';
import { bridgeConfigReloads, bridgeRateLimiter, MetricsRegistry } from '@shipshape/observability/metrics';
import { type Closer, installGracefulShutdown } from '@shipshape/observability/shutdown';
import { shutdownTracing } from '@shipshape/observability/tracing';
import { RedisRateLimiter, rateLimitRedisOptions } from '@shipshape/resilience';
import type * as z from 'zod';
import { httpServerOptions, type ServerLimits } from '../http/server-limits.ts';
import { connectRedis } from '../redis/connect-redis.ts';
import { createRedisClient, pingRedis, type RedisClient } from '../redis/redis-client.ts';
import { bridgeRedisMemory } from '../redis/redis-memory-metrics.ts';
import type { ServiceClientTls } from '../security/client-tls.ts';
import { createOperationalApp } from '../security/operational-app.ts';
import type { AdminSettings, TlsSettings } from '../security/security-config.ts';
import { securityConfigSource } from '../security/config-source.ts';
import { ServiceSecurity } from '../security/service-security.ts';

/** The process logger (`createLogger`). */
export type ServiceLogger = ReturnType<typeof createLogger>;

/** The configuration keys {@link runService} reads; a service schema has these and its own. */
export interface RunServiceConfig {
  /** Listening port. */
  port: number;
  /** Redis of the store, the inbound limiter and the runtime overrides. */
  redisUrl: string;
  /** Connection limits of the HTTP(S) server (`serviceConfigShape`'s `http.*`). */
  http: ServerLimits;
  /** Inbound rate limit per client. */
  rateLimit: { limit: number; windowMs: number; expectedReplicas: number; redisTimeoutMs: number };
  /** TLS / mutual TLS of the server and the service clients (`serviceConfigShape` has it). */
  tls: TlsSettings;
  /** The operator token of `/config` and `/admin/*`. */
  admin: AdminSettings;
}

/** What {@link runService} hands the service's app factory. */
export interface ServiceContext<S extends z.ZodType<RunServiceConfig>> {
  /** The loaded configuration; runtime changes apply through `config.get()`. */
  config: Config<S>;
  /** The store's client; it answered PING before the app was built. */
  redis: RedisClient;
  /** The service's registry (`service="<name>"`). */
  metrics: MetricsRegistry;
  logger: ServiceLogger;
  /** Readiness checks, with the Redis ping registered. */
  health: Health;
  /** The inbound GCRA limiter `<service>-inbound` on its own Redis connection. */
  rateLimiter: RedisRateLimiter;
  /**
   * TLS for the service's clients: `createServiceClient({ ..., ...tlsOption })` with
   * `clientTls.options(upstream)`, then `clientTls.follow(client)` so rotations reach it.
   */
  clientTls: ServiceClientTls;
  /**
   * Registers a resource of the service (a queue worker, say) to close on shutdown. Closers run
   * in reverse registration order, so everything registered here closes after the HTTP server
   * drained and before Redis, the configuration and telemetry.
   */
  onShutdown: (closer: Closer) => void;
}

/** Options of {@link runService}. */
export interface RunServiceOptions<S extends z.ZodType<RunServiceConfig>> {
  /** The service name: logs, the `service` metric label, Redis overrides and the limiter name. */
  service: string;
  /** The service's configuration schema. */
  schema: S;
  /** Keys that only apply at startup (a runtime change is reported and ignored). */
  staticKeys: readonly ConfigPath<z.output<S>>[];
  /** Builds the service's HTTP app from the process's collaborators. */
  createApp(context: ServiceContext<S>): RequestListener;
}

/**
 * Runs a service process: loads the configuration (exits on a configuration error), connects
 * to Redis (exits 1 if it is unreachable: a service without its store would only fail its
 * readiness probe), builds telemetry, the inbound limiter and the app, listens on `port` and
 * installs graceful shutdown. Resolves once the listener is installed. With `tls.enabled` the
 * port serves HTTPS with mutual TLS (exits 1 when the material is unusable), the certificate
 * rotates when `SECRETS_DIR` changes, and `tls.operationalPort` (if set) serves the probes and
 * `/metrics` over plain HTTP; with TLS off the server is the plain HTTP one.
 */
export async function runService<S extends z.ZodType<RunServiceConfig>>(
  options: RunServiceOptions<S>,
): Promise<void> {
  const { service } = options;
  const config = await loadServiceConfig(options);
  const logger = createServiceLogger(service, config);
  const { redis, limiterClient } = await connectStores(config, logger);
  const metrics = new MetricsRegistry({ service });
  bridgeConfigReloads(config, metrics);
  const rateLimiter = createInboundLimiter(service, config, limiterClient, metrics);
  const health = createHealth({ checks: { redis: () => pingRedis(redis) }, logger });
  bridgeRedisMemory(redis, metrics);
  const security = startSecurity(config, metrics, logger);

  const serviceClosers: Closer[] = [];
  const onShutdown = (closer: Closer): void => void serviceClosers.push(closer);
  const app = options.createApp({
    config,
    redis,
    metrics,
    logger,
    health,
    rateLimiter,
    clientTls: security.clientTls,
    onShutdown,
  });
  const serverOptions = httpServerOptions(config.get().http);
  const server = security.createServer(app, serverOptions);
  const shutdown = installGracefulShutdown({
    server,
    health,
    logger,
    closers: [
      { name: 'telemetry', close: shutdownTracing },
      { name: 'config', close: () => config.close() },
      { name: 'security', close: () => security.close() },
      { name: 'redis', close: () => Promise.all([redis.quit(), limiterClient.quit()]) },
    ],
  });
  const { operationalPort } = config.get().tls;
  if (security.tlsEnabled && operationalPort > 0) {
    const operational = listenOperational(operationalPort, serverOptions, { health, metrics }, logger);
    // Closed last of the servers, so probes answer 503 while the main port drains.
    shutdown.register({ name: 'operational listener', close: () => closeServer(operational) });
  }
  for (const closer of serviceClosers) shutdown.register(closer);
  listenMain(server, config.get().port, { service, security, logger });
}

/**
 * Loads the configuration: the default sources, then the Redis overrides of the service and,
 * with `CONFIG_INSTANCE`, of this replica. Exits on a configuration error.
 */
async function loadServiceConfig<S extends z.ZodType<RunServiceConfig>>(
  options: RunServiceOptions<S>,
): Promise<Config<S>> {
  const { service } = options;
  // REDIS_URL is read from the environment before the config loads, because the Redis override
  // source needs it to exist; the loaded `redisUrl` (same variable, or a file) is used afterwards.
  const bootstrapRedisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const instance = process.env.CONFIG_INSTANCE?.trim();
  return loadConfig({
    schema: options.schema,
    static: options.staticKeys,
    sources: [
      ...defaultSources(),
      new RedisSource({ redis: (settings) => createRedisClient(bootstrapRedisUrl, settings), service }),
      // CONFIG_INSTANCE names this replica: overrides in `config:<service>/<instance>` reach it
      // alone (one slow replica in a scenario) and win over the service-wide ones.
      ...(instance
        ? [
            new RedisSource({
              redis: (settings) => createRedisClient(bootstrapRedisUrl, settings),
              service: `${service}/${instance}`,
              name: 'redis-instance',
            }),
          ]
        : []),
    ],
  }).catch(exitOnConfigError);
}

/** The process logger, scrubbing the secrets known at start; reports configuration problems. */
function createServiceLogger(service: string, config: Config<z.ZodType<RunServiceConfig>>): ServiceLogger {
  const { redisUrl, admin } = config.get();
  // Secret values known at start are scrubbed from every log line (a rotated token is not
  // known here, but it is never logged: the Authorization header is redacted).
  const logger = createLogger({
    service,
    secretValues: [redisUrl, ...(admin.token === undefined ? [] : [admin.token])],
  });
  config.onError((error) => logger.warn({ err: error }, 'configuration problem'));
  return logger;
}

/**
 * The store's client (exits 1 when Redis does not answer) and the inbound limiter's own
 * connection.
 */
async function connectStores(
  config: Config<z.ZodType<RunServiceConfig>>,
  logger: ServiceLogger,
): Promise<{ redis: RedisClient; limiterClient: RedisClient }> {
  const redis = await connectRedis(config.get().redisUrl, { logger }).catch((error: unknown) => {
    logger.fatal({ err: error }, (error as Error).message);
    process.exit(1);
  });
  const limiterClient = createRedisClient(config.get().redisUrl, rateLimitRedisOptions());
  limiterClient.on('error', (error: unknown) => logger.warn({ err: error }, 'rate limiter redis error'));
  return { redis, limiterClient };
}

/** The inbound GCRA limiter `<service>-inbound`, following `rateLimit.*`, in the metrics. */
function createInboundLimiter(
  service: string,
  config: Config<z.ZodType<RunServiceConfig>>,
  client: RedisClient,
  metrics: MetricsRegistry,
): RedisRateLimiter {
  const { limit, windowMs, expectedReplicas, redisTimeoutMs } = config.get().rateLimit;
  const rateLimiter = new RedisRateLimiter({
    client,
    name: `${service}-inbound`,
    algorithm: 'gcra',
    limit,
    windowMs,
    expectedReplicas,
    timeoutMs: redisTimeoutMs,
  });
  bridgeRateLimiter(rateLimiter, metrics);
  return rateLimiter;
}

/** The plain-HTTP listener of the probes and `/metrics` while TLS is on. */
function listenOperational(
  port: number,
  serverOptions: ReturnType<typeof httpServerOptions>,
  app: { health: Health; metrics: MetricsRegistry },
  logger: ServiceLogger,
): ReturnType<typeof createServer> {
  const operational = createServer(serverOptions, createOperationalApp(app));
  operational.listen(port, () =>
    logger.info({ port }, `probes and /metrics over plain HTTP on port ${port}`),
  );
  return operational;
}

/** Listens on the service port and logs where (and how) it listens. */
function listenMain(
  server: ReturnType<ServiceSecurity['createServer']>,
  configuredPort: number,
  context: { service: string; security: ServiceSecurity; logger: ServiceLogger },
): void {
  const { service, security, logger } = context;
  server.listen(configuredPort, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : configuredPort;
    const scheme = security.tlsEnabled ? 'https' : 'http';
    logger.info(
      { port, scheme, identity: security.identity },
      `${service} service listening on port ${port}`,
    );
  });
}

/** Reads the TLS material (exit 1 when TLS is on and it is unusable) and follows its changes. */
function startSecurity(
  config: Config<z.ZodType<RunServiceConfig>>,
  metrics: MetricsRegistry,
  logger: ServiceLogger,
): ServiceSecurity {
  try {
    const security = new ServiceSecurity({
      config: securityConfigSource(config),
      metrics,
      logger,
    });
    if (!security.tlsEnabled) logger.info({}, 'TLS is off: plain HTTP, caller rules not enforced');
    return security;
  } catch (error) {
    logger.fatal({ err: error }, `TLS cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
