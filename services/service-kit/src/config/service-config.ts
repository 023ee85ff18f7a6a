import { duration, secret } from '@shipshape/config';
import * as z from 'zod';
import { securityConfigShape, securityStaticConfigKeys } from '../security/security-config.ts';

/** Options of {@link serviceConfigShape}. */
export interface ServiceConfigShapeOptions {
  /** The service's default listening port (`PORT` overrides it). */
  port: number;
}

/**
 * The configuration keys every service has, as a zod shape to spread into the service's own
 * `z.object({ ...serviceConfigShape({ port }), ... })`: `port`, `redisUrl`, `http.*`,
 * `rateLimit.*`, and the security keys `tls.*` and `admin.*` (TLS off and the admin routes
 * closed by default). `runService` and the shared app skeleton read them.
 */
export function serviceConfigShape(options: ServiceConfigShapeOptions) {
  return {
    /** Listening port (`PORT`); static: a change needs a restart. */
    port: z.int().min(0).max(65_535).default(options.port),
    /** Redis (`REDIS_URL`). Secret because a URL may carry a password; static. */
    redisUrl: secret(z.string().min(1)).default('redis://127.0.0.1:6379'),
    http: z
      .object({
        /** Largest accepted JSON body, in bytes; static (the parser is built at startup). */
        bodyLimitBytes: z.int().min(1).max(10_485_760).default(102_400),
        /** Upper bound of any request deadline (and the deadline of requests without one). */
        maxTimeoutMs: duration(z.number().int().min(1).max(300_000)).default(30_000),
        /**
         * Floor of an asked deadline, in ms: a smaller `x-request-timeout-ms` (1–9 ms by default)
         * is raised to it rather than refused, so an upstream's last retry near the end of its
         * budget is still served and a 1 ms deadline does not turn every request into a 504.
         * Static.
         */
        minTimeoutMs: duration(z.number().int().min(1).max(10_000)).default(10),
        /**
         * Longest wait for a request's complete headers, in ms; Node counts it from the accept,
         * so it is also the limit of a connection that never sends a byte (408, then closed).
         * Static.
         */
        headersTimeoutMs: duration(z.number().int().min(100).max(300_000)).default(10_000),
        /** Longest wait for a whole request, headers and body, in ms (408, then closed). Static. */
        requestTimeoutMs: duration(z.number().int().min(100).max(600_000)).default(20_000),
        /** How long an idle keep-alive connection stays open after a response, in ms. Static. */
        keepAliveTimeoutMs: duration(z.number().int().min(100).max(600_000)).default(5_000),
        /**
         * How often the server sweeps for connections past the two timeouts above, in ms: they
         * are enforced up to this much late. Static.
         */
        connectionsCheckingIntervalMs: duration(z.number().int().min(10).max(60_000)).default(1_000),
        /**
         * After an answer given before the request body was read to its end (504 while the
         * body trickles in, 413, 429), the connection is half-closed and destroyed this long
         * after, in ms. Static.
         */
        lingerMs: duration(z.number().int().min(0).max(60_000)).default(2_000),
      })
      .refine((http) => http.requestTimeoutMs >= http.headersTimeoutMs, {
        path: ['requestTimeoutMs'],
        message: 'must be at least http.headersTimeoutMs (the headers are part of the request)',
      })
      .prefault({}),
    rateLimit: z
      .object({
        /**
         * Requests per window and client (API key, else IP), shared by every replica; runtime.
         * The default, 1000 per second, keeps one client (the load generator, a busy caller)
         * well inside it at every documented load profile, so a load test measures the flow and
         * not the limiter, while a runaway client is still cut off. The limiter's own
         * demonstration is the traffic-burst scenario (30 per second).
         */
        limit: z.int().min(1).max(1_000_000).default(1_000),
        /** Window of the inbound limit, in ms (also its burst allowance: GCRA); runtime. */
        windowMs: duration(z.number().int().min(1).max(86_400_000)).default(1_000),
        /**
         * Replicas sharing the limit. While Redis fails, the limiter's fail mode `local` lets each
         * replica admit `limit / expectedReplicas`, so the fleet stays near the global limit; set
         * it to the replica count (`--scale`, the Deployment's replicas). Static.
         */
        expectedReplicas: z.int().min(1).max(10_000).default(1),
        /**
         * Longest wait for a Redis decision before the fail mode answers, in ms. Static.
         */
        redisTimeoutMs: duration(z.number().int().min(1).max(10_000)).default(100),
      })
      .prefault({}),
    metrics: z
      .object({
        /**
         * Request metrics (`http_server_request_duration_seconds`); false leaves them out of the
         * request path (the flow benchmark's "telemetry off" variant). `/metrics` still answers
         * with the process metrics and the other families. Static.
         */
        enabled: z.boolean().default(true),
      })
      .prefault({}),
    ...securityConfigShape,
  };
}

/**
 * The fault-injection keys every service has (`chaos.errorRate`, `chaos.latencyMs`), as a shape
 * to spread into the service's `chaos` object; what a failure or the latency hits is the
 * service's choice (its API requests, or its simulated processor).
 */
export const chaosConfigShape = {
  /** Share of requests (or calls) failing with a 503, 0..1. */
  errorRate: z.number().min(0).max(1).default(0),
  /** Added latency per request (or call), in ms. */
  latencyMs: duration(z.number().int().min(0).max(60_000)).default(0),
};

/** The keys of {@link serviceConfigShape} that only apply at startup. */
export const serviceStaticConfigKeys = [
  'metrics.enabled',
  'rateLimit.expectedReplicas',
  'rateLimit.redisTimeoutMs',
  'port',
  'redisUrl',
  'http.bodyLimitBytes',
  'http.minTimeoutMs',
  'http.headersTimeoutMs',
  'http.requestTimeoutMs',
  'http.keepAliveTimeoutMs',
  'http.connectionsCheckingIntervalMs',
  'http.lingerMs',
  ...securityStaticConfigKeys,
] as const;
