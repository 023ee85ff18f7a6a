/**
 * `createApp(deps)`: the user service's express app, built from its collaborators and never
 * listening (main.ts listens; tests listen on 127.0.0.1:0).
 */
import type { ConfigDescription, Frozen } from '@shipshape/config';
import {
  accessLog,
  deadlineMiddleware,
  httpServerMetrics,
  metricsHandler,
  methodNotAllowed,
  notFoundHandler,
  problemErrorHandler,
  requestId,
  requireJsonBody,
  type Health,
  type MetricsRegistry,
} from '@shipshape/observability';
import { rateLimitMiddleware, type RateLimiter } from '@shipshape/resilience';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { ServiceConfig } from './config.ts';
import { clientKey } from '@shipshape/service-kit';
import { chaosMiddleware } from './http/chaos-middleware.ts';
import { mapUserError } from './http/map-error.ts';
import { userRoutes, type UserStore } from './http/user-routes.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { problemType } from './errors.ts';

/** What the app reads of the configuration (a `@shipshape/config` `Config` fits). */
export interface AppConfig {
  /** The current snapshot; read per request so runtime changes apply. */
  get(): Frozen<ServiceConfig>;
  /** Every value with its source, secrets redacted (`GET /config`). */
  describe(): ConfigDescription;
}

/** What the app logs through (a pino logger from `createLogger` fits). */
export type AppLogger = Parameters<typeof accessLog>[0]['logger'] &
  NonNullable<Parameters<typeof problemErrorHandler>[0]>['logger'];

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
 * A limiter getter for the middleware that applies `rateLimit.limit` / `rateLimit.windowMs`
 * from the current snapshot first, so a config reload changes the limit of the next request.
 */
function limiterFollowingConfig(limiter: RateLimiter, config: AppConfig): () => RateLimiter {
  return () => {
    const { limit, windowMs } = config.get().rateLimit;
    if (limiter.limit !== limit || limiter.windowMs !== windowMs) limiter.setLimits({ limit, windowMs });
    return limiter;
  };
}

/**
 * Builds the app. Order: request id, metrics (so every answer is measured, 404s and 429s
 * too), access log, helmet; then the operational routes, which carry no deadline, no body and
 * no rate limit (probes and scrapes must not be throttled); then deadline, inbound rate limit,
 * fault injection (`chaos.*`), content-type check, JSON body parser, the API routes, 404 and
 * the problem+json error handler.
 */
export function createApp(deps: AppDeps): Express {
  const { config, metrics, logger, health } = deps;
  const snapshot = config.get();
  const app = express();
  app.disable('x-powered-by');

  app.use(requestId());
  app.use(httpServerMetrics(metrics));
  app.use(accessLog({ logger }));
  app.use(helmet());

  const openApi = buildOpenApiDocument();
  const operational: [string, RequestHandler][] = [
    ['/health', health.livenessHandler()],
    ['/ready', health.readinessHandler()],
    ['/metrics', metricsHandler(metrics)],
    ['/openapi.json', (_req, res) => void res.json(openApi)],
    ['/config', (_req, res) => void res.json(config.describe())],
  ];
  for (const [path, handler] of operational) {
    app
      .route(path)
      .get(handler)
      .all(methodNotAllowed(['GET']));
  }

  app.use(deadlineMiddleware({ maxTimeoutMs: snapshot.http.maxTimeoutMs }));
  if (deps.rateLimiter) {
    app.use(
      rateLimitMiddleware({
        limiter: limiterFollowingConfig(deps.rateLimiter, config),
        key: clientKey,
        policy: 'inbound',
        problemType: problemType('rate_limited'),
      }) as RequestHandler,
    );
  }
  app.use(chaosMiddleware(() => config.get().chaos, deps.random ?? Math.random));
  app.use(requireJsonBody());
  app.use(express.json({ limit: snapshot.http.bodyLimitBytes }));
  app.use(userRoutes(deps.repository));
  app.use(notFoundHandler());
  app.use(problemErrorHandler({ logger, mapError: mapUserError }));
  return app;
}
