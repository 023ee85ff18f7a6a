import { defineAppStarter, type RunningServiceApp } from '@shipshape/service-kit/testing';
import type { StartServiceAppOptions } from '@shipshape/service-kit/testing';
import { createApp } from '../app.ts';
import { createUserClient, type UserDirectory } from '../clients/user-client.ts';
import { configSchema } from '../config.ts';
import { repositoryRetention } from '../retention.ts';
import { OrderRepository } from '../storage/order-repository.ts';

/** A running app on 127.0.0.1 with its collaborators, for assertions. */
export type RunningApp = RunningServiceApp<typeof configSchema>;

/** `useApp(redisUrl)` (the order app against the harness Redis) and `send`, from the service kit. */
export const { useApp, send } = defineAppStarter({
  service: 'order',
  schema: configSchema,
  createApp: ({ redis, onShutdown, ...deps }, options: StartAppOptions) => {
    let users = options.users;
    if (!users) {
      const client = createUserClient(deps.config.get(), deps.metrics);
      onShutdown({ name: 'user client', close: () => client.close() });
      users = client;
    }
    return createApp({
      ...deps,
      repository: new OrderRepository({ redis, ...repositoryRetention(deps.config.get().retention) }),
      users,
      ...(options.shedIntake ? { shedIntake: options.shedIntake } : {}),
    });
  },
});

/** Options of {@link useApp}'s starter. */
export interface StartAppOptions extends StartServiceAppOptions {
  /**
   * The user directory.
   * @default a real `UserClient` built from `userServiceUrl` and `userClient.*` in `values`,
   * recorded in the app's metrics and closed after the test
   */
  users?: UserDirectory;
  /** Intake shedding (`AppDeps.shedIntake`). @default none */
  shedIntake?: () => number | undefined;
}
