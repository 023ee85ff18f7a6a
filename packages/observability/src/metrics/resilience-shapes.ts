// The shapes of @shipshape/resilience's typed events, declared here structurally so that this
// package never imports resilience: any object with these members can be bridged, and each
// package can be copied alone. Keep in sync with the seams described in the README.
import type { Disposable } from './metrics-registry.ts';

/** The states of a circuit breaker. */
export type BreakerStateName = 'closed' | 'open' | 'half_open' | 'isolated';

/** Subscribe function of a typed event. */
export type Subscribe<E> = (listener: (event: E) => void) => Disposable;

/**
 * What the bridge needs of a circuit breaker. States are typed `string` (the values are
 * {@link BreakerStateName}s) and the call events optional, so that narrowed breaker types, such
 * as the service client's per-endpoint `EndpointBreaker`, fit too; call events that exist at
 * run time are subscribed whatever the static type says.
 */
export interface BreakerLike {
  readonly name: string;
  onStateChange: Subscribe<{ name: string; from: string; to: string }>;
  onSuccess?: Subscribe<{ name: string; durationMs: number; slow: boolean }>;
  onFailure?: Subscribe<{ name: string; durationMs: number; slow: boolean; error?: unknown }>;
  onReject?: Subscribe<{ name: string; state: string }>;
  /** Current state, with lazy transitions applied; read at scrape time. */
  snapshot(): { state: string };
}

/** What the bridge needs of a retry policy. */
export interface RetryLike {
  readonly name: string;
  /** `reason` is a short bounded token: an error code, `error`, or `result`. */
  onRetry: Subscribe<{ name: string; attempt: number; delayMs: number; reason: string }>;
  onGiveUp: Subscribe<{ name: string; attempts: number; reason: string }>;
  onBudgetExhausted: Subscribe<{ name: string }>;
}

/** What the bridge needs of a timeout policy. */
export interface TimeoutLike {
  readonly name: string;
  onTimeout: Subscribe<{ name: string; timeoutMs: number }>;
}

/** What the bridge needs of a bulkhead. */
export interface BulkheadLike {
  readonly name: string;
  onReject: Subscribe<{ name: string }>;
  /** Current occupancy; read at scrape time. */
  snapshot(): { inFlight: number; queued: number };
}

/** What the bridge needs of a rate limiter. */
export interface RateLimiterLike {
  readonly name: string;
  onDecision: Subscribe<{ name: string; allowed: boolean }>;
  /** True while the backend fails and the fail mode is in force; read at scrape time. */
  readonly degraded: boolean;
}

/** One attempt of a service client call. */
export interface ServiceClientAttempt {
  service: string;
  method: string;
  endpoint: string;
  statusCode: number | 'error';
  durationMs: number;
  attempt: number;
}

/** An endpoint change of a service client (endpoints come and go with DNS re-resolution). */
export interface EndpointChangeLike {
  service: string;
  endpoint: string;
  /** `added`, `removed`, `ejected`, `returned`. */
  change: string;
}

/** What the bridge needs of the resilience service client. */
export interface ServiceClientLike {
  readonly service: string;
  onAttempt: Subscribe<ServiceClientAttempt>;
  /** When present, the breakers are re-read on every change, so new endpoints get bridged. */
  onEndpointChange?: Subscribe<EndpointChangeLike>;
  /** The policies inside the client, so each gets bridged too. */
  policies(): {
    breakers: readonly BreakerLike[];
    retry?: RetryLike;
    bulkhead?: BulkheadLike;
    /** Bridged when it has `onDecision` at run time (the client's own type only has `consume`). */
    limiter?: { readonly name: string };
    timeout?: TimeoutLike;
  };
}

/** True when `value` has the rate limiter events the bridge reads. */
export function isRateLimiterLike(value: unknown): value is RateLimiterLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { onDecision?: unknown }).onDecision === 'function'
  );
}
