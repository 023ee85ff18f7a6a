/**
 * `createApp(deps)`: the order service's express app, built from its collaborators and never
 * listening (main.ts listens; tests listen on 127.0.0.1:0).
 */
import type { ConfigDescription, Frozen } from '@shipshape/config';
import type { Health, MetricsRegistry } from '@shipshape/observability';
import type { RateLimiter } from '@shipshape/resilience';
import { chaosMiddleware, createServiceApp, type ServiceAppLogger } from '@shipshape/service-kit';
import type { Express } from 'express';
import type { UserDirectory } from './clients/user-client.ts';
import type { ServiceConfig } from './config.ts';
import { catalogueProblem, mapOrderError } from './http/map-error.ts';
import { orderRoutes, type OrderStore } from './http/order-routes.ts';
import { orderMetrics } from './metrics.ts';
import { buildOpenApiDocument } from './openapi.ts';

/** What the app reads of the configuration (a `@shipshape/config` `Config` fits). */
export interface AppConfig {
  /** The current snapshot; read per request so runtime changes apply. */
  get(): Frozen<ServiceConfig>;
  /** Every value with its source, secrets redacted (`GET /config`). */
  describe(): ConfigDescription;
}

/** What the app logs through (a pino logger from `createLogger` fits). */
export type AppLogger = ServiceAppLogger;

/** The collaborators of {@link createApp}. */
export interface AppDeps {
  /** Order storage (`OrderRepository`): order and payment job in one atomic write. */
  repository: OrderStore;
  /** The user service (`UserClient`): `POST /orders` checks the user exists. */
  users: UserDirectory;
  config: AppConfig;
  /** The service's registry (`service="order"`), rendered at `GET /metrics`. */
  metrics: MetricsRegistry;
  logger: AppLogger;
  /** Readiness checks (`GET /ready`); main.ts registers the Redis ping. */
  health: Health;
  /**
   * Inbound limiter, keyed by `x-api-key` else IP; its limits follow `rateLimit.*` per request.
   * @default none: no inbound limit (tests that do not exercise it)
   */
  rateLimiter?: RateLimiter;
  /**
   * Uniform random numbers in [0, 1) for `chaos.errorRate` draws; inject to make them deterministic.
   * @default Math.random
   */
  random?: () => number;
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
    config,
    metrics,
    logger: deps.logger,
    health: deps.health,
    openApi: buildOpenApiDocument(),
    ...(deps.rateLimiter ? { rateLimiter: deps.rateLimiter } : {}),
    beforeBody: [
      chaosMiddleware({
        getChaos: () => config.get().chaos,
        random: deps.random ?? Math.random,
        fault: () =>
          catalogueProblem('service_unavailable', 'Injected fault (chaos.errorRate).', {
            headers: { 'Retry-After': '1' },
          }),
      }),
    ],
    routes: () => {
      const { countOrder } = orderMetrics(metrics);
      return orderRoutes(deps.repository, deps.users, () => countOrder('pending'));
    },
    mapError: mapOrderError,
  });
}
