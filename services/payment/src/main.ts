/**
 * The payment service process: configuration, Redis, telemetry, the app, the listener and graceful
 * shutdown (`runService` from the service kit). Run as
 * `node --import @shipshape/observability/register dist/main.js`.
 */
import { bridgeRateLimiter } from '@shipshape/observability/metrics';
import { RedisRateLimiter, rateLimitRedisOptions } from '@shipshape/resilience';
import { createRedisClient, runService } from '@shipshape/service-kit';
import { createApp } from './app.ts';
import { configSchema, staticConfigKeys } from './config.ts';
import { ledgerProcessor } from './processor/ledger-processor.ts';
import { createSimulatedProcessor } from './processor/simulated-processor.ts';
import { PaymentRepository } from './storage/payment-repository.ts';

await runService({
  service: 'payment',
  schema: configSchema,
  staticKeys: staticConfigKeys,
  createApp: ({ redis, onShutdown, ...deps }) => {
    const { redisUrl, processor: processorConfig } = deps.config.get();
    // The processor quota is one budget for every replica, so it lives in Redis, on its own
    // connection (the limiter's short command timeout must not apply to the store's commands).
    const quotaClient = createRedisClient(redisUrl, rateLimitRedisOptions());
    quotaClient.on('error', (error: unknown) =>
      deps.logger.warn({ err: error }, 'processor quota redis error'),
    );
    const processorQuota = new RedisRateLimiter({
      client: quotaClient,
      name: 'payment-processor-quota',
      algorithm: 'gcra',
      limit: processorConfig.quota.limit,
      windowMs: processorConfig.quota.windowMs,
    });
    bridgeRateLimiter(processorQuota, deps.metrics);
    onShutdown({ name: 'processor-quota', close: () => quotaClient.quit() });
    // The simulated processor keeps its own book of idempotency keys, as real processors do, so
    // a replica killed between capture and store cannot cause a second capture.
    const processor = ledgerProcessor({
      processor: createSimulatedProcessor({ getChaos: () => deps.config.get().chaos }),
      redis,
      retentionMs: processorConfig.ledgerRetentionMs,
    });
    const { paymentMs, idempotencyKeyMs } = deps.config.get().retention;
    const repository = new PaymentRepository({
      redis,
      paymentRetentionMs: paymentMs,
      idempotencyRetentionMs: idempotencyKeyMs,
    });
    return createApp({ ...deps, repository, processor, processorQuota });
  },
});
