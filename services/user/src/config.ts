/**
 * The user service's configuration schema (`@shipshape/config`). Every key can be set by the
 * JSON file, a ConfigMap/Secret directory, an env var (`RATE_LIMIT__LIMIT`) or, at runtime, a
 * Redis override (`npm run chaos -- user rateLimit.limit=10`). `GET /config` shows the values.
 */
import { chaosConfigShape, serviceConfigShape, serviceStaticConfigKeys } from '@shipshape/service-kit';
import * as z from 'zod';

/** The configuration schema: the keys every service has (`port`, `redisUrl`, `http.*`, `rateLimit.*`) and `chaos.*`. */
export const configSchema = z.object({
  ...serviceConfigShape({ port: 3001 }),
  /**
   * Fault injection on the API routes, read on every request (runtime): `errorRate` is the share
   * of API requests answered 503 `service_unavailable`, `latencyMs` the latency added to each.
   */
  chaos: z.object(chaosConfigShape).prefault({}),
});

/** The validated configuration. */
export type ServiceConfig = z.output<typeof configSchema>;

/** Keys that only apply at startup; a runtime change is reported and ignored. */
export const staticConfigKeys = serviceStaticConfigKeys;
