import type { Backoff, CircuitBreakerOptions, ConcurrencyLimiterOptions } from '../policies/index.ts';
import type { ClientTlsOptions } from './client-tls.ts';
import type { EndpointsOption, LookupFunction } from './endpoints/endpoint-resolver.ts';
import type { HedgingOptions } from './hedging/hedging-options.ts';
import type { OutlierDetectionOptions } from './endpoints/outlier-detector.ts';
import type { LoadBalancer, LoadBalancerName } from './load-balancing/load-balancer.ts';
import type {
  ClientBulkhead,
  ClientBulkheadOptions,
  ClientConcurrencyLimiter,
  ClientRateLimiter,
  ClientRetryBudget,
  ClientRetryBudgetOptions,
} from './policy-shapes.ts';

/**
 * Per-endpoint circuit breaker settings: the policies' `CircuitBreakerOptions` minus what the
 * client decides itself (`name` = `<service>/<host:port>`; 5xx answers, transport errors and
 * timeouts are failures, 4xx and 429 are not).
 */
export type EndpointBreakerOptions = Omit<CircuitBreakerOptions, 'name' | 'isFailure' | 'isResultFailure'>;

/** Options of {@link createServiceClient}. Every optional field is safe to leave out. */
export interface ServiceClientOptions {
  /** Logical name of the upstream (`user`, `payment`): used in events, errors, span and metric labels. */
  service: string;
  /**
   * Where the upstream lives: `'http://10.0.0.5:3001,http://10.0.0.6:3001'`, a list, or a DNS
   * name that resolves to several addresses (`http://user:3001`), re-resolved every
   * `dnsRefreshMs`.
   */
  endpoints: EndpointsOption;
  /**
   * Resolves hostnames to all their addresses; tests inject a map.
   * @default the system resolver (`dns.lookup` with `all: true`)
   */
  lookup?: LookupFunction;
  /**
   * How often hostnames are re-resolved, in ms (0 disables re-resolution).
   * @default 5000
   */
  dnsRefreshMs?: number;
  /**
   * Load-balancing strategy, or your own {@link LoadBalancer}.
   * @default 'least_request' (power of two choices)
   */
  loadBalancer?: LoadBalancerName | LoadBalancer;
  /**
   * Total budget of one `request()` call, in ms: bulkhead queueing, every attempt and every
   * backoff. Overridden per call by `timeoutMs`.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * Budget of one attempt, in ms (capped by what is left of the total). Applies only to
   * requests that may be retried; a request that cannot be retried gets the whole budget.
   * @default 2000
   */
  perTryTimeoutMs?: number;
  /**
   * Attempts per call, first one included (1 disables retries).
   * @default 3
   */
  maxAttempts?: number;
  /**
   * Delay before retry n when the upstream gave no Retry-After.
   * @default FullJitterBackoff { initialDelayMs: 50, maxDelayMs: 1000 }
   */
  backoff?: Backoff;
  /**
   * The longest Retry-After (or RateLimit reset) the client waits for, in ms. A longer one
   * ends the call at once with the error, carrying the upstream's `retryAfterMs`.
   * @default 5000
   */
  maxRetryAfterMs?: number;
  /**
   * Retry budget shared by every call to this upstream (pass one `RetryBudget` to several
   * clients to share it further).
   * @default { ratio: 0.2, minRetriesPerSecond: 10 } — retries stay within 20 % of calls plus 10/s
   */
  retryBudget?: ClientRetryBudgetOptions | ClientRetryBudget;
  /**
   * Circuit breaker per endpoint, or `false` for none.
   * @default { failureRateThreshold: 0.5, minimumCalls: 10, window: { kind: 'time', durationMs: 10000 }, openDurationMs: 5000 }
   */
  breaker?: EndpointBreakerOptions | false;
  /**
   * Outlier ejection, or `false` for none.
   * @default { consecutiveFailures: 5, baseEjectionMs: 30000, maxEjectionMs: 300000, maxEjectedPercent: 50 }
   */
  outlierDetection?: OutlierDetectionOptions | false;
  /**
   * Concurrency limit for this upstream (calls beyond `maxConcurrent` wait in a queue of
   * `maxQueued`, then are rejected with `BulkheadRejectedError`), or your own bulkhead.
   * @default { maxConcurrent: 256, maxQueued: 512 }
   */
  bulkhead?: ClientBulkheadOptions | ClientBulkhead;
  /**
   * Hedged requests: when an attempt of a request that may be sent twice (idempotent method or
   * Idempotency-Key) has not answered after the hedge delay — fixed, or a live percentile of
   * this upstream's latency — a copy goes to another endpoint, the first answer wins and the
   * other attempt is cancelled. Hedges draw from the retry budget. A call's own `hedging`
   * overrides this per route. `false` (or leaving it out) turns hedging off.
   * @default false
   */
  hedging?: HedgingOptions | false;
  /**
   * Adaptive concurrency limit for this upstream: attempts in flight beyond a limit learnt from
   * their latency (Gradient2 by default, or AIMD) are not sent and the call fails at once with
   * `ConcurrencyLimitExceededError`. Options of the policies' `ConcurrencyLimiter` (its name is
   * the service's), your own limiter, or `false`.
   * @default false
   */
  concurrencyLimit?: Omit<ConcurrencyLimiterOptions, 'isDropped'> | ClientConcurrencyLimiter | false;
  /**
   * Outbound rate limiter (e.g. a Redis limiter shared by all replicas): each attempt consumes
   * 1 from `rateLimitKey`; a denied attempt is not sent and the call fails with
   * `RateLimitedError`.
   * @default none
   */
  rateLimiter?: ClientRateLimiter;
  /**
   * Key the outbound limiter counts under.
   * @default `outbound:<service>`
   */
  rateLimitKey?: string;
  /**
   * Keep-alive connections per endpoint (undici Pool `connections`).
   * @default 128
   */
  connectionsPerEndpoint?: number;
  /**
   * TCP connect timeout, in ms.
   * @default 1000
   */
  connectTimeoutMs?: number;
  /**
   * TLS towards the upstream (every endpoint must then be `https:`): the CA its certificate must
   * chain to, the identity (DNS SAN) it must carry, and the client certificate for mutual TLS.
   * Replace the material at runtime with `client.setTls(...)` (certificate rotation).
   * @default none: the system's root certificates for `https:` endpoints, no client certificate
   */
  tls?: ClientTlsOptions;
  /**
   * Idle keep-alive sockets are closed after this long, in ms (keep it below the upstream's
   * own keep-alive timeout, node's default is 5000).
   * @default 4000
   */
  keepAliveTimeoutMs?: number;
  /**
   * Largest response body the client reads, in bytes; a larger one fails the attempt with
   * undici's `ResponseExceededMaxSizeError` (code `UND_ERR_RES_EXCEEDED_MAX_SIZE`).
   * @default 8388608 (8 MiB)
   */
  maxResponseBytes?: number;
  /**
   * Headers sent with every request (lower-case names).
   * @default {}
   */
  headers?: Record<string, string>;
  /**
   * Supplies `x-request-id` for calls that carry none (e.g. read it from AsyncLocalStorage).
   * @default none
   */
  requestId?: () => string | undefined;
  /**
   * Monotonic clock in ms for deadlines and outlier ejection; tests may inject one.
   * @default performance.now
   */
  now?: () => number;
}
