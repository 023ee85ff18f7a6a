// The shapes of @shipshape/resilience's typed events, declared here structurally so that this
// package never imports resilience: any object with these members can be bridged, and each
// package can be copied alone. Keep in sync with the seams described in the README.
import type { Disposable } from './metrics-registry.ts';

/** The states of a circuit breaker. */
export type BreakerStateName = 'closed' | 'open' | 'half_open' | 'isolated';

/** Subscribe function of a typed event. */
export type Subscribe<E> = (listener: (event: E) => void) => Disposable;

/** What the bridge needs of a circuit breaker. */
export interface BreakerLike {
  readonly name: string;
  onStateChange: Subscribe<{ name: string; from: BreakerStateName; to: BreakerStateName }>;
  onSuccess: Subscribe<{ name: string; durationMs: number; slow: boolean }>;
  onFailure: Subscribe<{ name: string; durationMs: number; slow: boolean; error?: unknown }>;
  onReject: Subscribe<{ name: string; state: BreakerStateName }>;
  /** Current state, with lazy transitions applied; read at scrape time. */
  snapshot(): { state: BreakerStateName };
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

/** What the bridge needs of the resilience service client. */
export interface ServiceClientLike {
  readonly service: string;
  onAttempt: Subscribe<ServiceClientAttempt>;
  /** The policies inside the client, so each gets bridged too. */
  policies(): {
    breakers: readonly BreakerLike[];
    retry?: RetryLike;
    bulkhead?: BulkheadLike;
    limiter?: RateLimiterLike;
    timeout?: TimeoutLike;
  };
}
