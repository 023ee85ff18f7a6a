/**
 * The user service process: configuration, Redis, telemetry, the app, the listener and graceful
 * shutdown (`runService` from the service kit). Run as
 * `node --import @shipshape/observability/register dist/main.js`.
 */
import { runService } from '@shipshape/service-kit';
import { createApp } from './app.ts';
import { configSchema, staticConfigKeys } from './config.ts';
import { UserRepository } from './storage/user-repository.ts';

await runService({
  service: 'user',
  schema: configSchema,
  staticKeys: staticConfigKeys,
  createApp: ({ redis, ...deps }) => createApp({ ...deps, repository: new UserRepository({ redis }) }),
});
