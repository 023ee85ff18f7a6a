/**
 * The order service's configuration schema (`@shipshape/config`). Every key can be set by the
 * JSON file, a ConfigMap/Secret directory, an env var (`USER_SERVICE_URL`,
 * `USER_CLIENT__TIMEOUT_MS`, `CHAOS__ERROR_RATE`) or, at runtime, a Redis override
 * (`npm run chaos -- order errorRate=0.5` reaches every replica). `GET /config` shows the values.
 */
import { duration } from '@shipshape/config';
import { chaosConfigShape, serviceConfigShape, serviceStaticConfigKeys } from '@shipshape/service-kit';
import * as z from 'zod';
import { paymentsConfigShape, paymentsStaticConfigKeys } from './payments/payments-config.ts';
import { retentionConfigSchema } from './retention.ts';

/**
 * The user-service client's policies. Static: the client is built at startup. The defaults keep
 * `POST /orders` interactive: a lookup never takes more than 2 s, a slow replica is cut after
 * 1 s and the lookup moves to another one.
 */
const userClientShape = {
  /**
   * Total budget of one user lookup (every attempt and backoff), in ms; also capped by what is
   * left of the inbound request's deadline.
   * @default 2_000
   */
  timeoutMs: duration(z.number().int().min(1).max(300_000)).default(2_000),
  /**
   * Budget of one HTTP attempt, in ms (capped by what is left of `timeoutMs`).
   * @default 1_000
   */
  perTryTimeoutMs: duration(z.number().int().min(1).max(300_000)).default(1_000),
  /**
   * HTTP attempts per lookup, the first included (1 disables retries). Retries go to another
   * endpoint when there is one and are bounded by the client's retry budget.
   * @default 3
   */
  maxAttempts: z.int().min(1).max(10).default(3),
  /**
   * Share of failed calls (5xx, transport errors, timeouts) in an endpoint breaker's 10 s window
   * that opens it, (0, 1].
   * @default 0.5
   */
  breakerFailureRateThreshold: z.number().gt(0).max(1).default(0.5),
  /**
   * Calls in the window before an endpoint's breaker judges the failure rate.
   * @default 10
   */
  breakerMinimumCalls: z.int().min(1).max(10_000).default(10),
  /**
   * How long an open breaker stays open before one probe call, in ms; `Retry-After` of the 503
   * `upstream_unavailable` it causes is the time left until then.
   * @default 5_000
   */
  breakerOpenDurationMs: duration(z.number().int().min(1).max(600_000)).default(5_000),
};

/**
 * The configuration schema: the keys every service has (`port`, `redisUrl`, `http.*`,
 * `rateLimit.*`), the user service's address and client policies, `chaos.*`, and the payment
 * pipeline's keys (`paymentServiceUrl`, `worker.*`, `paymentClient.*`, see `src/payments`).
 */
export const configSchema = z.object({
  ...serviceConfigShape({ port: 3002 }),
  /**
   * The user service (`USER_SERVICE_URL`): one URL, a comma-separated list of endpoints, or a
   * hostname that resolves to several addresses (each one an endpoint, re-resolved every 5 s).
   * Static: the client is built at startup.
   */
  userServiceUrl: z.string().min(1).default('http://127.0.0.1:3001'),
  userClient: z.object(userClientShape).prefault({}),
  /**
   * Fault injection on the API routes, read on every request (runtime): `errorRate` is the share
   * of API requests answered 503 `service_unavailable`, `latencyMs` the latency added to each.
   */
  chaos: z.object(chaosConfigShape).prefault({}),
  ...paymentsConfigShape,
  /** How long each Redis key pattern lives (`src/retention.ts`, README "Retention"). */
  retention: retentionConfigSchema,
});

/** The validated configuration. */
export type ServiceConfig = z.output<typeof configSchema>;

/** Keys that only apply at startup; a runtime change is reported and ignored. */
export const staticConfigKeys = [
  ...serviceStaticConfigKeys,
  'userServiceUrl',
  'userClient',
  ...paymentsStaticConfigKeys,
  'retention.orderMs',
  'retention.idempotencyKeyMs',
] as const;
