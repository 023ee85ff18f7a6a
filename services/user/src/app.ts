/**
 * `createApp(deps)`: the user service's express app, built from its collaborators and never
 * listening (main.ts listens; tests listen on 127.0.0.1:0).
 */
import type { ConfigDescription, Frozen } from '@shipshape/config';
import type { Health, MetricsRegistry } from '@shipshape/observability';
import type { RateLimiter } from '@shipshape/resilience';
import { chaosMiddleware, createServiceApp, type ServiceAppLogger } from '@shipshape/service-kit';
import type { Express } from 'express';
import type { ServiceConfig } from './config.ts';
import { catalogueProblem, mapUserError } from './http/map-error.ts';
import { userRoutes, type UserStore } from './http/user-routes.ts';
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
  /** User storage (`UserRepository`). */
  repository: UserStore;
  config: AppConfig;
  /** The service's registry (`service="user"`), rendered at `GET /metrics`. */
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
 * (`chaos.*`) before the body, the user routes and the user error mapping.
 */
export function createApp(deps: AppDeps): Express {
  const { config } = deps;
  return createServiceApp({
    config,
    metrics: deps.metrics,
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
    routes: () => userRoutes(deps.repository),
    mapError: mapUserError,
  });
}
