/**
 * The payment service process: configuration, Redis, telemetry, the app, the listener and graceful
 * shutdown. Run as `node --import @shipshape/observability/register dist/main.js`.
 */
import { createServer } from 'node:http';
import { defaultSources, exitOnConfigError, loadConfig } from '@shipshape/config';
import { RedisSource } from '@shipshape/config/redis';
import {
  bridgeConfigReloads,
  bridgeRateLimiter,
  createHealth,
  createLogger,
  installGracefulShutdown,
  MetricsRegistry,
  shutdownTracing,
} from '@shipshape/observability';
import { RedisRateLimiter, rateLimitRedisOptions } from '@shipshape/resilience';
import { Redis } from 'ioredis';
import { createApp } from './app.ts';
import { configSchema, staticConfigKeys } from './config.ts';
import { connectRedis } from '@shipshape/service-kit';
import { PaymentRepository } from './storage/payment-repository.ts';

const service = 'payment';

// REDIS_URL is read from the environment before the config loads, because the Redis override
// source needs it to exist; the loaded `redisUrl` (same variable, or a file) is used afterwards.
const bootstrapRedisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const config = await loadConfig({
  schema: configSchema,
  static: staticConfigKeys,
  sources: [...defaultSources(), new RedisSource({ redis: bootstrapRedisUrl, service })],
}).catch(exitOnConfigError);

const logger = createLogger({ service, secretValues: [config.get().redisUrl] });
config.onError((error) => logger.warn({ err: error }, 'configuration problem'));

const redis = await connectRedis(config.get().redisUrl, { logger }).catch((error: unknown) => {
  logger.fatal({ err: error }, (error as Error).message);
  process.exit(1);
});
const limiterClient = new Redis(config.get().redisUrl, rateLimitRedisOptions());
limiterClient.on('error', (error) => logger.warn({ err: error }, 'rate limiter redis error'));

const metrics = new MetricsRegistry({ service });
bridgeConfigReloads(config, metrics);
const { limit, windowMs } = config.get().rateLimit;
const rateLimiter = new RedisRateLimiter({
  client: limiterClient,
  name: 'payment-inbound',
  algorithm: 'gcra',
  limit,
  windowMs,
});
bridgeRateLimiter(rateLimiter, metrics);
const health = createHealth({ checks: { redis: () => redis.ping() }, logger });

const app = createApp({
  repository: new PaymentRepository({ redis }),
  config,
  metrics,
  logger,
  health,
  rateLimiter,
});
const server = createServer(app);
installGracefulShutdown({
  server,
  health,
  logger,
  closers: [
    { name: 'telemetry', close: shutdownTracing },
    { name: 'config', close: () => config.close() },
    { name: 'redis', close: () => Promise.all([redis.quit(), limiterClient.quit()]) },
  ],
});
server.listen(config.get().port, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.get().port;
  logger.info({ port }, `payment service listening on port ${port}`);
});
