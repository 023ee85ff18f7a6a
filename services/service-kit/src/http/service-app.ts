import type { ConfigDescription } from '@shipshape/config';
import { type Health } from '@shipshape/observability/health';
import {
  deadlineMiddleware,
  methodNotAllowed,
  notFoundHandler,
  problemErrorHandler,
  requireJsonBody,
} from '@shipshape/observability/http';
import { accessLog, requestId } from '@shipshape/observability/logging';
import { httpServerMetrics, metricsHandler, type MetricsRegistry } from '@shipshape/observability/metrics';
import { rateLimitMiddleware, type RateLimiter } from '@shipshape/resilience';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { problemType } from '../errors/error-catalogue.ts';
import { requireAdminToken, type AdminTokenSettings } from '../security/admin-auth.ts';
import { authorizeCallers, type CallerRules } from '../security/authorize-callers.ts';
import { securityMetrics } from '../security/security-metrics.ts';
import { clientKey } from './client-key.ts';
import { closeUnreadRequests } from './close-unread-requests.ts';
import { jsonBody } from './json-body.ts';
import { outcomeLogLevel } from './outcome-log-level.ts';
import { routeLabels, type OpenApiPaths } from './route-labels.ts';

/** The configuration keys the app skeleton reads (every service schema has them). */
export interface ServiceAppSnapshot {
  readonly http: {
    readonly bodyLimitBytes: number;
    readonly maxTimeoutMs: number;
    readonly minTimeoutMs: number;
    readonly lingerMs: number;
  };
  readonly rateLimit: { readonly limit: number; readonly windowMs: number };
  /** `metrics.enabled: false` leaves the request metrics out. Absent: on. */
  readonly metrics?: { readonly enabled: boolean };
  /** `tls.enabled` switches the caller rules on. Absent: TLS off. */
  readonly tls?: { readonly enabled: boolean };
  /** The admin token settings, read per request. Absent: no token, admin routes closed. */
  readonly admin?: AdminTokenSettings;
}

/**
 * What an app reads of the configuration (a `@shipshape/config` `Config` fits): the skeleton
 * needs a {@link ServiceAppSnapshot}; a service names its own snapshot type (`Frozen<ServiceConfig>`).
 */
export interface ServiceAppConfig<C extends ServiceAppSnapshot = ServiceAppSnapshot> {
  /** The current snapshot; read per request so runtime changes apply. */
  get(): C;
  /** Every value with its source, secrets redacted (`GET /config`). */
  describe(): ConfigDescription;
}

/** What the app logs through (a pino logger from `createLogger` fits). */
export type ServiceAppLogger = Parameters<typeof accessLog>[0]['logger'] &
  NonNullable<Parameters<typeof problemErrorHandler>[0]>['logger'];

/** Maps a service's own errors to problems (`problemErrorHandler`'s `mapError`). */
export type ServiceErrorMapper = NonNullable<
  NonNullable<Parameters<typeof problemErrorHandler>[0]>['mapError']
>;

/**
 * The collaborators of the app skeleton, which `runService` (and `useServiceApp` in tests) hand
 * a service's `createApp(deps)`. A service's `AppDeps` extends them with its own (repository,
 * clients) and spreads `deps` into {@link createServiceApp}.
 */
export interface ServiceAppDeps<C extends ServiceAppSnapshot = ServiceAppSnapshot> {
  config: ServiceAppConfig<C>;
  /** The service's registry (`service="<name>"`), rendered at `GET /metrics`. */
  metrics: MetricsRegistry;
  /** What the app logs through (a pino logger from `createLogger` fits). */
  logger: ServiceAppLogger;
  /** Readiness checks (`GET /ready`); `runService` registers the Redis ping. */
  health: Health;
  /**
   * Inbound limiter, keyed by `x-api-key` else IP; its limits follow `rateLimit.*` per request.
   * @default none: no inbound limit (tests that do not exercise it)
   */
  rateLimiter?: RateLimiter;
}

/** Options of {@link createServiceApp}: the collaborators and the service's own parts. */
export interface ServiceAppOptions extends ServiceAppDeps {
  /** The service's OpenAPI document, served at `GET /openapi.json`. */
  openApi: OpenApiPaths;
  /**
   * Middleware after the rate limit and before the body is read (fault injection, say).
   * @default none
   */
  beforeBody?: readonly RequestHandler[];
  /**
   * Builds the service's API routes, mounted after the JSON body parser; called at that point,
   * so metrics the routes register come after the skeleton's.
   */
  routes: () => RequestHandler;
  /** Maps the service's own errors to its catalogue's problems. */
  mapError: ServiceErrorMapper;
  /**
   * Who may call which route while TLS is on: `{ 'POST /payments': ['order'] }` (identities are
   * the DNS SANs of the callers' client certificates); others get 403 `forbidden`.
   * @default {} (every admitted caller may call every route)
   */
  callers?: CallerRules;
  /**
   * Builds operator routes, mounted under `/admin` after the JSON body parser, behind the admin
   * bearer token like `/config` (dead-letter replay, say).
   * @default none
   */
  adminRoutes?: () => RequestHandler;
}

/**
 * A limiter getter for the middleware that applies `rateLimit.limit` / `rateLimit.windowMs`
 * from the current snapshot first, so a config reload changes the limit of the next request.
 */
function limiterFollowingConfig(limiter: RateLimiter, config: ServiceAppConfig): () => RateLimiter {
  return () => {
    const { limit, windowMs } = config.get().rateLimit;
    if (limiter.limit !== limit || limiter.windowMs !== windowMs) limiter.setLimits({ limit, windowMs });
    return limiter;
  };
}

/**
 * The express app every service builds, around its own routes. Order: closing connections
 * whose answer came before their body was read, request id, metrics (so
 * every answer is measured, 404s and 429s too), access log, helmet; then the operational routes
 * (`/health`, `/ready`, `/metrics`, `/openapi.json`, `/config`, GET only), which carry no
 * deadline, no body and no rate limit (probes and scrapes must not be throttled) — `/config` and
 * everything under `/admin` require the admin bearer token; then the caller rules (while TLS is
 * on), deadline, inbound rate limit, the `beforeBody` middleware, content-type check, JSON body
 * parser (UTF-8 only, see `jsonBody`), the admin routes, the API routes, 404 and the problem+json error handler.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const { config, metrics, logger, health, openApi } = options;
  const snapshot = config.get();
  const app = express();
  app.disable('x-powered-by');

  app.use(closeUnreadRequests({ lingerMs: snapshot.http.lingerMs }));
  app.use(requestId());
  if (snapshot.metrics?.enabled !== false) app.use(httpServerMetrics(metrics));
  app.use(accessLog({ logger }));
  app.use(helmet());

  const security = securityMetrics(metrics);
  security.initialize('admin');
  const admin = requireAdminToken({ settings: () => config.get().admin, metrics: security });
  const operational: [string, ...RequestHandler[]][] = [
    ['/health', health.livenessHandler()],
    ['/ready', health.readinessHandler()],
    ['/metrics', metricsHandler(metrics)],
    ['/openapi.json', (_req, res) => void res.json(openApi)],
    ['/config', admin, (_req, res) => void res.json(config.describe())],
  ];
  for (const [path, ...handlers] of operational) {
    app
      .route(path)
      .get(...handlers)
      .all(methodNotAllowed(['GET']));
  }
  // API answers given before the router (429, injected 503, 400/413/415, 504) count under
  // their route template, not `unmatched`.
  app.use(routeLabels(openApi));
  // Before any body is read: an unauthenticated admin request costs a hash, nothing more.
  app.use('/admin', admin);
  if (options.callers && Object.keys(options.callers).length > 0) {
    app.use(
      authorizeCallers({
        rules: options.callers,
        enforced: () => config.get().tls?.enabled === true,
        metrics: security,
      }),
    );
  }

  const { maxTimeoutMs, minTimeoutMs } = snapshot.http;
  app.use(deadlineMiddleware({ maxTimeoutMs, minTimeoutMs }));
  if (options.rateLimiter) {
    app.use(
      rateLimitMiddleware({
        limiter: limiterFollowingConfig(options.rateLimiter, config),
        key: clientKey,
        policy: 'inbound',
        problemType: problemType('rate_limited'),
      }) as RequestHandler,
    );
  }
  for (const middleware of options.beforeBody ?? []) app.use(middleware);
  app.use(requireJsonBody());
  app.use(jsonBody({ limitBytes: snapshot.http.bodyLimitBytes }));
  if (options.adminRoutes) app.use('/admin', options.adminRoutes());
  app.use(options.routes());
  app.use(notFoundHandler());
  app.use(problemErrorHandler({ logger, mapError: options.mapError, logLevel: outcomeLogLevel }));
  return app;
}
