/**
 * `createApp(deps)`: the payment service's express app, built from its collaborators and never
 * listening (main.ts listens; tests listen on 127.0.0.1:0).
 */
import type { ConfigDescription, Frozen } from '@shipshape/config';
import { paymentsCounter, type Health, type MetricsRegistry } from '@shipshape/observability';
import type { RateLimiter } from '@shipshape/resilience';
import { createServiceApp, type ServiceAppLogger } from '@shipshape/service-kit';
import type { Express } from 'express';
import type { ServiceConfig } from './config.ts';
import { paymentErrorMapper } from './http/map-error.ts';
import { paymentRoutes, type PaymentStore } from './http/payment-routes.ts';
import { quotaLimitedProcessor, type QuotaLimiter } from './processor/quota-limited-processor.ts';
import { createSimulatedProcessor } from './processor/simulated-processor.ts';
import type { PaymentProcessor } from './processor/payment-processor.ts';
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
  /** Payment storage (`PaymentRepository`). */
  repository: PaymentStore;
  config: AppConfig;
  /** The service's registry (`service="payment"`), rendered at `GET /metrics`. */
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
   * The processor charges go to.
   * @default the simulated processor, reading `chaos.*` from `config` on every charge
   */
  processor?: PaymentProcessor;
  /**
   * The limiter holding the processor quota (`processor.quota.*`), shared by every replica;
   * main.ts passes a Redis limiter named `payment-processor-quota`.
   * @default none: no quota
   */
  processorQuota?: QuotaLimiter;
}

/**
 * Builds the app on the services' skeleton (`createServiceApp`: request id, metrics, access
 * log, helmet, the operational routes, deadline, inbound rate limit), with the payment routes
 * (charges counted by outcome, behind the processor quota when one is given) and the payment error mapping (`Retry-After` from
 * `processor.retryAfterMs`).
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
    routes: () => {
      const base = deps.processor ?? createSimulatedProcessor({ getChaos: () => config.get().chaos });
      const processor = deps.processorQuota
        ? quotaLimitedProcessor({
            processor: base,
            limiter: deps.processorQuota,
            getQuota: () => config.get().processor.quota,
          })
        : base;
      const payments = paymentsCounter(metrics);
      return paymentRoutes(deps.repository, processor, (payment) =>
        payments.inc({ outcome: payment.status }),
      );
    },
    mapError: paymentErrorMapper(() => config.get().processor.retryAfterMs),
    // With mutual TLS on, only the order service may charge (the kit answers others 403).
    callers: { 'POST /payments': ['order'] },
  });
}
