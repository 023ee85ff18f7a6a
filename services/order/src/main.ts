/**
 * The order service process: configuration, Redis, telemetry, the user-service client, the app,
 * the payment pipeline (outbox relay, BullMQ worker, dead letters), the listener and graceful
 * shutdown (`runService` from the service kit). Run as
 * `node --import @shipshape/observability/register dist/main.js`.
 */
import { hostname } from 'node:os';
import { runService } from '@shipshape/service-kit';
import { createApp } from './app.ts';
import { createUserClient } from './clients/user-client.ts';
import { configSchema, staticConfigKeys } from './config.ts';
import { startPaymentPipeline } from './payments/payment-pipeline.ts';
import { repositoryRetention } from './retention.ts';
import { OrderRepository } from './storage/order-repository.ts';

await runService({
  service: 'order',
  schema: configSchema,
  staticKeys: staticConfigKeys,
  createApp: ({ redis, config, metrics, logger, health, onShutdown, clientTls, ...deps }) => {
    // With tls.enabled both clients present the order certificate and check the upstream's
    // identity; rotations reach them through follow().
    const users = createUserClient(config.get(), metrics, clientTls.options('user'));
    clientTls.follow(users.client);
    const repository = new OrderRepository({ redis, ...repositoryRetention(config.get().retention) });
    const pipeline = startPaymentPipeline({
      config,
      redisUrl: config.get().redisUrl,
      repository,
      metrics,
      logger,
      consumer: `${hostname()}:${process.pid}`,
      clientTls,
    });
    // A replica that cannot move its outbox into the queue would accept orders nobody pays:
    // fail like a Redis outage at start, and let the orchestrator restart it.
    pipeline.catch((error: unknown) => {
      logger.fatal({ err: error }, 'the payment pipeline failed to start');
      process.exit(1);
    });
    // Not ready until the pipeline runs, then as ready as the pipeline says. The user service is
    // deliberately no readiness check: see "Readiness" in the README.
    health.register('payments', async () => {
      const running = await pipeline;
      await running.readiness?.();
    });
    // How far payment is behind intake: a /health detail (readiness-neutral, see the README's
    // "Backpressure") and, with backpressure.shed, 503 payments_backlogged on POST /orders.
    let backlog: Awaited<typeof pipeline>['backlog'] | undefined;
    void pipeline.then((running) => (backlog = running.backlog)).catch(() => undefined);
    health.detail('payments', () => backlog?.status() ?? { started: false });
    // Closers run in reverse: the pipeline first (in-flight jobs finish), then the user client.
    onShutdown({ name: 'user client', close: () => users.close() });
    onShutdown({ name: 'payments', close: async () => (await pipeline).close() });
    return createApp({
      ...deps,
      config,
      metrics,
      logger,
      health,
      repository,
      users,
      shedIntake: () => backlog?.shedIntake(),
    });
  },
});
