// The parts of the shared policies the client calls. Declared structurally so a caller may pass
// an instance built elsewhere (for instance one RetryBudget shared by several clients).

/** A bulkhead as the client uses it (the policies' `Bulkhead` fits). */
export interface ClientBulkhead {
  readonly name: string;
  execute<T>(
    fn: (context: { signal: AbortSignal; attempt: number }) => T | Promise<T>,
    signal?: AbortSignal,
  ): Promise<T>;
  onReject(listener: (event: { name: string }) => void): { dispose(): void };
  snapshot(): { inFlight: number; queued: number; maxConcurrent: number; maxQueued: number };
}

/** Settings for the bulkhead the client builds itself. */
export interface ClientBulkheadOptions {
  /**
   * Calls running at once.
   * @default 256
   */
  maxConcurrent?: number;
  /**
   * Calls waiting for a slot; more are rejected at once.
   * @default 512
   */
  maxQueued?: number;
  /**
   * Longest wait in the queue, in ms (the call's own deadline also ends the wait).
   * @default Infinity
   */
  queueTimeoutMs?: number;
}

/** A retry budget as the client uses it (the policies' `RetryBudget` fits). */
export interface ClientRetryBudget {
  tryWithdraw(): boolean;
  deposit(): void;
}

/** Settings for the retry budget the client builds itself. */
export interface ClientRetryBudgetOptions {
  /**
   * Retries allowed per call made, over the budget's window.
   * @default 0.2
   */
  ratio?: number;
  /**
   * Retries always allowed per second, so a quiet upstream can still be retried.
   * @default 10
   */
  minRetriesPerSecond?: number;
}

/** Outcome of a rate-limiter `consume`. */
export interface ClientRateLimitDecision {
  allowed: boolean;
  retryAfterMs: number;
}

/** An outbound rate limiter as the client uses it (the rate-limit `RateLimiter`s fit). */
export interface ClientRateLimiter {
  readonly name: string;
  consume(key: string, cost?: number): Promise<ClientRateLimitDecision>;
}

/** An adaptive concurrency limiter as the client uses it (the policies' `ConcurrencyLimiter` fits). */
export interface ClientConcurrencyLimiter {
  readonly name: string;
  /** A slot, or `undefined` when the limit is reached. */
  tryAcquire(): { success(): void; dropped(): void; ignore(): void } | undefined;
  /** The error a call refused by the limit fails with (`ConcurrencyLimitExceededError`). */
  rejection(): Error;
  snapshot(): { limit: number; inFlight: number };
  onReject(listener: (event: { name: string; limit: number }) => void): { dispose(): void };
  onLimitChange(listener: (event: { name: string; from: number; to: number }) => void): { dispose(): void };
}
