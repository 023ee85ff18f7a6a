/**
 * The user service's configuration schema (`@shipshape/config`). Every key can be set by the
 * JSON file, a ConfigMap/Secret directory, an env var (`RATE_LIMIT__LIMIT`) or, at runtime, a
 * Redis override (`npm run chaos -- user rateLimit.limit=10`). `GET /config` shows the values.
 */
import { duration, secret } from '@shipshape/config';
import * as z from 'zod';

/** The configuration schema. */
export const configSchema = z.object({
  /** Listening port (`PORT`); static: a change needs a restart. */
  port: z.int().min(0).max(65_535).default(3001),
  /** Redis (`REDIS_URL`). Secret because a URL may carry a password; static. */
  redisUrl: secret(z.string().min(1)).default('redis://127.0.0.1:6379'),
  http: z
    .object({
      /** Largest accepted JSON body, in bytes; static (the parser is built at startup). */
      bodyLimitBytes: z.int().min(1).max(10_485_760).default(102_400),
      /** Upper bound of any request deadline (and the deadline of requests without one). */
      maxTimeoutMs: duration(z.number().int().min(1).max(300_000)).default(30_000),
    })
    .prefault({}),
  rateLimit: z
    .object({
      /** Requests per window and client (API key, else IP), shared by every replica; runtime. */
      limit: z.int().min(1).max(1_000_000).default(100),
      /** Window of the inbound limit, in ms; runtime. */
      windowMs: duration(z.number().int().min(1).max(86_400_000)).default(60_000),
    })
    .prefault({}),
  /** Fault injection on the API routes, read on every request (runtime). */
  chaos: z
    .object({
      /** Share of API requests answered 503 `service_unavailable`, 0..1. */
      errorRate: z.number().min(0).max(1).default(0),
      /** Added latency per API request, in ms. */
      latencyMs: duration(z.number().int().min(0).max(60_000)).default(0),
    })
    .prefault({}),
});

/** The validated configuration. */
export type ServiceConfig = z.output<typeof configSchema>;

/** Keys that only apply at startup; a runtime change is reported and ignored. */
export const staticConfigKeys = ['port', 'redisUrl', 'http.bodyLimitBytes'] as const;
