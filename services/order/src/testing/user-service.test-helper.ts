import { useServiceApp } from '@shipshape/service-kit/testing';
import {
  createApp as createUserApp,
  configSchema as userConfigSchema,
  UserRepository,
} from '@shipshape/user-service';

/** The real user service running in-process, and a way to register users in it. */
export interface RunningUserService {
  readonly url: string;
  /** Creates a user through `POST /users` and returns its id. */
  createUser(): Promise<string>;
}

/**
 * Registers cleanup and returns a starter of the real user service app (`@shipshape/user-service`)
 * on 127.0.0.1:0 against the harness Redis (its keys start with `user:`, never clashing with
 * `order:`); it is closed after each test.
 */
export function useUserService(redisUrl: () => string): () => Promise<RunningUserService> {
  const start = useServiceApp(redisUrl, {
    service: 'user',
    schema: userConfigSchema,
    createApp: ({ redis, ...deps }) => createUserApp({ ...deps, repository: new UserRepository({ redis }) }),
  });
  return async () => {
    const { url } = await start();
    return {
      url,
      async createUser() {
        const response = await fetch(`${url}/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `${crypto.randomUUID()}@example.com`, name: 'Order Tester' }),
        });
        if (response.status !== 201) throw new Error(`POST /users answered ${response.status}`);
        return ((await response.json()) as { id: string }).id;
      },
    };
  };
}
