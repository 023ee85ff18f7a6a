/**
 * `createApp(deps)`: the payment service's express app, built from its collaborators and never
 * listening (main.ts listens; tests listen on 127.0.0.1:0).
 */
import type { Frozen } from '@shipshape/config';
import { createServiceApp, type ServiceAppDeps } from '@shipshape/service-kit';
import type { Express } from 'express';
import type { ServiceConfig } from './config.ts';
import { paymentErrorMapper } from './http/map-error.ts';
import { paymentsCounter } from './metrics.ts';
import { paymentRoutes, type PaymentStore } from './http/payment-routes.ts';
import { quotaLimitedProcessor, type QuotaLimiter } from './processor/quota-limited-processor.ts';
import { createSimulatedProcessor } from './processor/simulated-processor.ts';
import type { PaymentProcessor } from './processor/payment-processor.ts';
import { buildOpenApiDocument } from './openapi.ts';

/**
 * The collaborators of {@link createApp}: the skeleton's (`config`, `metrics`, `logger`,
 * `health`, `rateLimiter?`, from `runService`) and the service's own.
 */
export interface AppDeps extends ServiceAppDeps<Frozen<ServiceConfig>> {
  /** Payment storage (`PaymentRepository`). */
  repository: PaymentStore;
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
    ...deps,
    openApi: buildOpenApiDocument(),
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
