import { defineAppStarter, type RunningServiceApp } from '@shipshape/service-kit/testing';
import type { StartServiceAppOptions } from '@shipshape/service-kit/testing';
import { createApp } from '../app.ts';
import { configSchema } from '../config.ts';
import type { PaymentProcessor } from '../processor/payment-processor.ts';
import type { QuotaLimiter } from '../processor/quota-limited-processor.ts';
import { PaymentRepository } from '../storage/payment-repository.ts';

/** A running app on 127.0.0.1 with its collaborators, for assertions. */
export type RunningApp = RunningServiceApp<typeof configSchema>;

/** `useApp(redisUrl)` (the payment app against the harness Redis) and `send`, from the service kit. */
export const { useApp, send } = defineAppStarter({
  service: 'payment',
  schema: configSchema,
  createApp: ({ redis, ...deps }, options: StartAppOptions) =>
    createApp({
      ...deps,
      repository: new PaymentRepository({
        redis,
        ...(options.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: options.waitTimeoutMs }),
      }),
      processor: options.processor,
      ...(options.processorQuota ? { processorQuota: options.processorQuota } : {}),
    }),
});

/** Options of {@link useApp}'s starter. */
export interface StartAppOptions extends StartServiceAppOptions {
  /** The processor. @default the simulated one, following `chaos.*` */
  processor?: PaymentProcessor;
  /** The processor quota limiter. @default none */
  processorQuota?: QuotaLimiter;
  /** The repository's wait for a concurrent request with the same key, in ms. @default 10_000 */
  waitTimeoutMs?: number;
}
