// Wiring only: configuration, clients and telemetry, then listen. Tracing was started before
// this module loaded: `node --import ./dist/vendor/observability/tracing/register.js dist/main.js`.
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { createApp } from './app.ts';
import { schema } from './config.ts';
import { exitOnConfigError, loadConfig } from './vendor/config/index.ts';
import { createHealth } from './vendor/observability/health/index.ts';
import { createLogger } from './vendor/observability/logging/index.ts';
import {
  MetricsRegistry,
  bridgeConfigReloads,
  bridgeRateLimiter,
  bridgeServiceClient,
} from './vendor/observability/metrics/index.ts';
import { installGracefulShutdown } from './vendor/observability/shutdown/index.ts';
import { shutdownTracing } from './vendor/observability/tracing/index.ts';
import { RedisRateLimiter, rateLimitMiddleware, rateLimitRedisOptions } from './vendor/resilience/index.ts';
import { createServiceClient } from './vendor/resilience/http/index.ts';

const service = 'copy-example';
// Reads CONFIG_FILE and the environment; watches the file; refuses to start when invalid.
const config = await loadConfig({
  schema,
  static: ['port', 'redisUrl', 'upstreamUrl', 'upstreamTimeoutMs', 'upstreamBreakerOpenMs'],
}).catch(exitOnConfigError);
const settings = config.get();

const logger = createLogger({ service });
const metrics = new MetricsRegistry({ service });
bridgeConfigReloads(config, metrics);
config.onReload(({ source, outcome }) => logger.info({ source, outcome }, 'config reloaded'));
config.onError((error) => logger.warn({ reason: error.message }, 'config reload failed'));

const redis = new Redis(settings.redisUrl, rateLimitRedisOptions());
redis.on('error', (error) => logger.warn({ reason: error.message }, 'redis unreachable'));
const limiter = new RedisRateLimiter({
  client: redis,
  name: 'hello',
  algorithm: 'fixed-window',
  ...settings.rateLimit,
});
config.onChange('rateLimit', (next) => limiter.setLimits(next));
bridgeRateLimiter(limiter, metrics);

// Deadline, retries with a budget, a breaker per endpoint and per-try timeouts, in one client.
const upstream = createServiceClient({
  service: 'upstream',
  endpoints: settings.upstreamUrl,
  timeoutMs: settings.upstreamTimeoutMs,
  perTryTimeoutMs: settings.upstreamTimeoutMs / 2,
  maxAttempts: 2,
  breaker: {
    failureRateThreshold: 0.5,
    minimumCalls: 4,
    window: { kind: 'count', size: 10 },
    openDurationMs: settings.upstreamBreakerOpenMs,
  },
});
bridgeServiceClient(upstream, metrics);

const health = createHealth({ checks: { redis: () => redis.ping() } });
const app = createApp({
  logger,
  metrics,
  health,
  upstream,
  rateLimit: rateLimitMiddleware({ limiter, key: 'ip', policy: 'hello' }),
  greeting: () => config.get('greeting'),
});

const server = createServer(app).listen(settings.port, () => {
  const address = server.address();
  logger.info({ port: typeof address === 'object' && address ? address.port : settings.port }, 'listening');
});
const shutdown = installGracefulShutdown({ server, health, logger });
shutdown.register({ name: 'telemetry', close: shutdownTracing });
shutdown.register({ name: 'redis', close: async () => void (await redis.quit()) });
shutdown.register({ name: 'upstream', close: () => upstream.close() });
shutdown.register({ name: 'config', close: () => config.close() });
