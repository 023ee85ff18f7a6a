/**
 * `createApp(deps)`: the order service's express app, built from its collaborators and never
 * listening (main.ts listens; tests listen on 127.0.0.1:0).
 */
import type { Frozen } from '@shipshape/config';
import { chaosMiddleware, createServiceApp, type ServiceAppDeps } from '@shipshape/service-kit';
import type { Express } from 'express';
import type { UserDirectory } from './clients/user-client.ts';
import type { ServiceConfig } from './config.ts';
import { injectedFault, mapOrderError } from './http/map-error.ts';
import { orderRoutes, type OrderStore } from './http/order-routes.ts';
import { orderMetrics } from './metrics.ts';
import { buildOpenApiDocument } from './openapi.ts';

/**
 * The collaborators of {@link createApp}: the skeleton's (`config`, `metrics`, `logger`,
 * `health`, `rateLimiter?`, from `runService`) and the service's own.
 */
export interface AppDeps extends ServiceAppDeps<Frozen<ServiceConfig>> {
  /** Order storage (`OrderRepository`): order and payment job in one atomic write. */
  repository: OrderStore;
  /** The user service (`UserClient`): `POST /orders` checks the user exists. */
  users: UserDirectory;
  /**
   * Uniform random numbers in [0, 1) for `chaos.errorRate` draws; inject to make them deterministic.
   * @default Math.random
   */
  random?: () => number;
  /**
   * Intake shedding: called before each `POST /orders` is looked at; a number (ms) answers 503
   * `payments_backlogged` with that `Retry-After` (the payment pipeline's
   * `backlog.shedIntake()`); undefined accepts.
   * @default none: every order is accepted
   */
  shedIntake?: () => number | undefined;
}

/**
 * Builds the app on the services' skeleton (`createServiceApp`: request id, metrics, access
 * log, helmet, the operational routes, deadline, inbound rate limit), with fault injection
 * (`chaos.*`) before the body, the order routes (accepted orders counted in
 * `orders_total{status="pending"}`) and the order error mapping.
 */
export function createApp(deps: AppDeps): Express {
  const { config, metrics } = deps;
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
    routes: () => {
      const { countOrder } = orderMetrics(metrics);
      return orderRoutes(deps.repository, deps.users, () => countOrder('pending'), deps.shedIntake);
    },
    mapError: mapOrderError,
  });
}
