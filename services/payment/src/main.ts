/**
 * The payment service process: configuration, Redis, telemetry, the app, the listener and graceful
 * shutdown (`runService` from the service kit). Run as
 * `node --import @shipshape/observability/register dist/main.js`.
 */
import { runService } from '@shipshape/service-kit';
import { createApp } from './app.ts';
import { configSchema, staticConfigKeys } from './config.ts';
import { PaymentRepository } from './storage/payment-repository.ts';

await runService({
  service: 'payment',
  schema: configSchema,
  staticKeys: staticConfigKeys,
  createApp: ({ redis, ...deps }) => createApp({ ...deps, repository: new PaymentRepository({ redis }) }),
});
