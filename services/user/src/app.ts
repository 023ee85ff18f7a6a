/**
 * `createApp(deps)`: the user service's express app, built from its collaborators and never
 * listening (main.ts listens; tests listen on 127.0.0.1:0).
 */
import type { Frozen } from '@shipshape/config';
import { chaosMiddleware, createServiceApp, type ServiceAppDeps } from '@shipshape/service-kit';
import type { Express } from 'express';
import type { ServiceConfig } from './config.ts';
import { injectedFault, mapUserError } from './http/map-error.ts';
import { userRoutes, type UserStore } from './http/user-routes.ts';
import { buildOpenApiDocument } from './openapi.ts';

/**
 * The collaborators of {@link createApp}: the skeleton's (`config`, `metrics`, `logger`,
 * `health`, `rateLimiter?`, from `runService`) and the service's own.
 */
export interface AppDeps extends ServiceAppDeps<Frozen<ServiceConfig>> {
  /** User storage (`UserRepository`). */
  repository: UserStore;
  /**
   * Uniform random numbers in [0, 1) for `chaos.errorRate` draws; inject to make them deterministic.
   * @default Math.random
   */
  random?: () => number;
}

/**
 * Builds the app on the services' skeleton (`createServiceApp`: request id, metrics, access
 * log, helmet, the operational routes, deadline, inbound rate limit), with fault injection
 * (`chaos.*`) before the body, the user routes and the user error mapping.
 */
export function createApp(deps: AppDeps): Express {
  const { config } = deps;
  return createServiceApp({
    ...deps,
    openApi: buildOpenApiDocument(),
    beforeBody: [
      chaosMiddleware({
        getChaos: () => config.get().chaos,
        random: deps.random ?? Math.random,
        fault: injectedFault,
      }),
    ],
    routes: () => userRoutes(deps.repository),
    mapError: mapUserError,
  });
}
