import {
  sendJson,
  useServiceApp,
  type RunningServiceApp,
  type StartServiceAppOptions,
} from '@shipshape/service-kit/testing';
import { createApp } from '../app.ts';
import { createUserClient, type UserDirectory } from '../clients/user-client.ts';
import { configSchema } from '../config.ts';
import { repositoryRetention } from '../retention.ts';
import { OrderRepository } from '../storage/order-repository.ts';

/** A running app on 127.0.0.1 with its collaborators, for assertions. */
export type RunningApp = RunningServiceApp<typeof configSchema>;

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

/**
 * Registers cleanup and returns a starter: each call builds `createApp` against the harness
 * Redis and listens on 127.0.0.1:0; everything is closed after each test (`useServiceApp`).
 */
export function useApp(redisUrl: () => string): (options?: StartAppOptions) => Promise<RunningApp> {
  return useServiceApp(redisUrl, {
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
}

/** A parsed response body with the fields the tests read (everything else `unknown`). */
export interface TestBody {
  [key: string]: unknown;
  code?: string;
  errors?: { path: string; message: string }[];
  id?: string;
  status?: unknown;
  totalCents?: number;
  openapi?: string;
  paths?: Record<string, unknown>;
  checks?: Record<string, { status: string }>;
  failing?: string[];
  redisUrl?: { value: unknown };
}

/** Sends JSON (or a raw string body) and returns status, headers and the parsed body (`{}` if not JSON). */
export const send = sendJson<TestBody>;
