import {
  sendJson,
  useServiceApp,
  type RunningServiceApp,
  type StartServiceAppOptions,
} from '@shipshape/service-kit/testing';
import { createApp } from '../app.ts';
import { configSchema } from '../config.ts';
import type { PaymentProcessor } from '../processor/payment-processor.ts';
import type { QuotaLimiter } from '../processor/quota-limited-processor.ts';
import { PaymentRepository } from '../storage/payment-repository.ts';

/** A running app on 127.0.0.1 with its collaborators, for assertions. */
export type RunningApp = RunningServiceApp<typeof configSchema>;

/** Options of {@link useApp}'s starter. */
export interface StartAppOptions extends StartServiceAppOptions {
  /** The processor. @default the simulated one, following `chaos.*` */
  processor?: PaymentProcessor;
  /** The processor quota limiter. @default none */
  processorQuota?: QuotaLimiter;
  /** The repository's wait for a concurrent request with the same key, in ms. @default 10_000 */
  waitTimeoutMs?: number;
}

/**
 * Registers cleanup and returns a starter: each call builds `createApp` against the harness
 * Redis and listens on 127.0.0.1:0; everything is closed after each test (`useServiceApp`).
 */
export function useApp(redisUrl: () => string): (options?: StartAppOptions) => Promise<RunningApp> {
  return useServiceApp(redisUrl, {
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
}

/** A parsed response body with the fields the tests read (everything else `unknown`). */
export interface TestBody {
  [key: string]: unknown;
  code?: string;
  errors?: { path: string; message: string }[];
  id?: string;
  status?: unknown;
  items?: { id: string }[];
  openapi?: string;
  paths?: Record<string, unknown>;
  checks?: Record<string, { status: string }>;
  redisUrl?: { value: unknown };
}

/** Sends JSON (or a raw string body) and returns status, headers and the parsed body (`{}` if not JSON). */
export const send = sendJson<TestBody>;
