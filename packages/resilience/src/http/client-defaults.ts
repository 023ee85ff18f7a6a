import { FullJitterBackoff } from '../policies/index.ts';
import type { EndpointBreakerOptions, ServiceClientOptions } from './client-options.ts';
import type { ClientBulkheadOptions, ClientRetryBudgetOptions } from './policy-shapes.ts';
import { requireAtLeast } from './require-at-least.ts';

/** Defaults of the scalar options of {@link ServiceClientOptions}. */
export const clientDefaults = {
  dnsRefreshMs: 5000,
  loadBalancer: 'least_request',
  timeoutMs: 5000,
  perTryTimeoutMs: 2000,
  maxAttempts: 3,
  maxRetryAfterMs: 5000,
  connectionsPerEndpoint: 128,
  connectTimeoutMs: 1000,
  keepAliveTimeoutMs: 4000,
  maxResponseBytes: 8 * 1024 * 1024,
  headers: {},
} as const satisfies Partial<ServiceClientOptions>;

/**
 * Per-endpoint breaker defaults: open at 50 % failures over 10 s once 10 calls were seen,
 * probe again after 5 s. Sudden total failure is caught sooner by outlier ejection.
 */
export const breakerDefaults: EndpointBreakerOptions = {
  failureRateThreshold: 0.5,
  minimumCalls: 10,
  window: { kind: 'time', durationMs: 10_000 },
  openDurationMs: 5000,
};

/** How late a per-try or total timeout may fire, in ms (one sweep timer per client). */
export const timeoutResolutionMs = 5;

/** Bulkhead defaults: generous, it exists to stop unbounded queues, not to throttle. */
export const bulkheadDefaults = {
  maxConcurrent: 256,
  maxQueued: 512,
} as const satisfies ClientBulkheadOptions;

/** Retry budget defaults: retries add at most 20 % load, plus 10 retries per second. */
export const retryBudgetDefaults: Required<ClientRetryBudgetOptions> = {
  ratio: 0.2,
  minRetriesPerSecond: 10,
};

/** The default retry delay: full jitter, 50 ms doubling, at most 1 s. */
export function defaultBackoff(): FullJitterBackoff {
  return new FullJitterBackoff({ initialDelayMs: 50, maxDelayMs: 1000 });
}

/** Options after defaults and validation (at construction, naming the option and the value). */
export type ResolvedClientOptions = ServiceClientOptions &
  Required<Pick<ServiceClientOptions, keyof typeof clientDefaults>>;

/** Merges {@link clientDefaults} into `options` and validates every scalar option once. */
export function resolveClientOptions(options: ServiceClientOptions): ResolvedClientOptions {
  const o: ResolvedClientOptions = { ...clientDefaults, ...options };
  if (typeof o.service !== 'string' || o.service === '') {
    throw new RangeError(`service must be a non-empty string, got ${JSON.stringify(o.service)}`);
  }
  requireAtLeast('timeoutMs', o.timeoutMs, 1);
  requireAtLeast('perTryTimeoutMs', o.perTryTimeoutMs, 1);
  requireAtLeast('maxAttempts', o.maxAttempts, 1, true);
  requireAtLeast('maxRetryAfterMs', o.maxRetryAfterMs, 0);
  requireAtLeast('dnsRefreshMs', o.dnsRefreshMs, 0);
  requireAtLeast('connectionsPerEndpoint', o.connectionsPerEndpoint, 1, true);
  requireAtLeast('connectTimeoutMs', o.connectTimeoutMs, 1);
  requireAtLeast('keepAliveTimeoutMs', o.keepAliveTimeoutMs, 1);
  requireAtLeast('maxResponseBytes', o.maxResponseBytes, 0, true);
  return o;
}
