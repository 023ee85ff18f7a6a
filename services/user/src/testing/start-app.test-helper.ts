import { defineAppStarter, type RunningServiceApp } from '@shipshape/service-kit/testing';
import { createApp } from '../app.ts';
import { configSchema } from '../config.ts';
import { UserRepository } from '../storage/user-repository.ts';

/** A running app on 127.0.0.1 with its collaborators, for assertions. */
export type RunningApp = RunningServiceApp<typeof configSchema>;

/** `useApp(redisUrl)` (the user app against the harness Redis) and `send`, from the service kit. */
export const { useApp, send } = defineAppStarter({
  service: 'user',
  schema: configSchema,
  createApp: ({ redis, ...deps }) => createApp({ ...deps, repository: new UserRepository({ redis }) }),
});
