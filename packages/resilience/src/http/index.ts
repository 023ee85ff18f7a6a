// Public surface of @shipshape/resilience/http, grouped by area. Internals are not exported.

// Client
export { createServiceClient, ServiceClient } from './service-client.ts';
export type { ServiceClientOptions, EndpointBreakerOptions } from './client-options.ts';
export type { ClientTlsOptions, Pem } from './client-tls.ts';
export type {
  ServiceRequest,
  ServiceResponse,
  AttemptEvent,
  ResolveErrorEvent,
  ServiceClientPolicies,
} from './request-types.ts';
export type {
  ClientBulkhead,
  ClientBulkheadOptions,
  ClientConcurrencyLimiter,
  ClientRateLimiter,
  ClientRateLimitDecision,
  ClientRetryBudget,
  ClientRetryBudgetOptions,
} from './policy-shapes.ts';
export { ClientRetryEvents, type ClientRetryEvent, type ClientGiveUpEvent } from './retry-events.ts';
export { ClientTimeoutEvents, type ClientTimeoutEvent } from './timeout-events.ts';

// Hedging
export type { HedgingOptions } from './hedging/hedging-options.ts';
export type { RequestHedgingOptions } from './hedging/client-hedging.ts';
export {
  ClientHedgingEvents,
  type ClientHedgeEvent,
  type ClientHedgeSkippedEvent,
  type ClientHedgeWonEvent,
  type HedgeSkipReason,
} from './hedging/hedging-events.ts';
export type { Disposable } from '../policies/common/policy.ts';
export type { Subscribe } from '../policies/common/emitter.ts';

// Errors
export {
  UpstreamUnavailableError,
  isUpstreamUnavailableError,
  type UpstreamUnavailableReason,
} from './errors/upstream-unavailable-error.ts';
export { UpstreamHttpError, isUpstreamHttpError } from './errors/upstream-http-error.ts';

// Endpoints and load balancing
export {
  systemLookup,
  type EndpointConfig,
  type EndpointsOption,
  type LookupAddress,
  type LookupFunction,
} from './endpoints/endpoint-resolver.ts';
export type { EndpointChange, EndpointChangeEvent } from './endpoints/endpoint-registry.ts';
export type { OutlierDetectionOptions } from './endpoints/outlier-detector.ts';
export * from './load-balancing/index.ts';

// Deadlines and headers
export { DEADLINE_HEADER, readDeadlineHeader } from './deadline.ts';
export { retryAfterMs } from './retry-after.ts';

// Errors of the shared policies and limiters that a call can end with, re-exported so users of
// this entry point need no second import.
export { TimeoutError, isTimeoutError } from '../errors/timeout-error.ts';
export { BulkheadRejectedError, isBulkheadRejectedError } from '../errors/bulkhead-rejected-error.ts';
export { RateLimitedError, isRateLimitedError } from '../errors/rate-limited-error.ts';
export {
  ConcurrencyLimitExceededError,
  isConcurrencyLimitExceededError,
} from '../errors/concurrency-limit-exceeded-error.ts';
