import { ProcessorUnavailableError } from '../errors/processor-unavailable-error.ts';
import type { PaymentProcessor } from './payment-processor.ts';

/** The part of a `@shipshape/resilience` rate limiter the quota needs (a `RedisRateLimiter` fits). */
export interface QuotaLimiter {
  readonly limit: number;
  readonly windowMs: number;
  consume(key: string): Promise<{ allowed: boolean; retryAfterMs: number }>;
  setLimits(settings: { limit: number; windowMs: number }): void;
}

/** The processor quota: charges admitted per window, shared by every replica. */
export interface ProcessorQuotaSettings {
  /** Charges per window across all replicas. */
  readonly limit: number;
  /** The window, in ms. */
  readonly windowMs: number;
}

/** Options of {@link quotaLimitedProcessor}. */
export interface QuotaLimitedProcessorOptions {
  /** The processor charges go to once admitted. */
  processor: PaymentProcessor;
  /** The limiter holding the quota (on Redis, so every replica shares it). */
  limiter: QuotaLimiter;
  /** The current quota, read on every charge so a config change applies at once. */
  getQuota: () => ProcessorQuotaSettings;
  /**
   * The limiter key of the quota (one merchant account at the processor).
   * @default 'processor'
   */
  key?: string;
}

/**
 * Models the quota a real processor (PSP) grants a merchant account: at most `limit` charges per
 * `windowMs`, whatever the number of payment replicas. A charge over the quota is not sent: it
 * fails transiently with {@link ProcessorUnavailableError} carrying the limiter's `retryAfterMs`
 * (a 503 `processor_unavailable` with that `Retry-After`), which the order worker's retry honours.
 * Nothing is charged or stored, so the same Idempotency-Key may be retried.
 */
export function quotaLimitedProcessor(options: QuotaLimitedProcessorOptions): PaymentProcessor {
  const { processor, limiter, getQuota, key = 'processor' } = options;
  return {
    async charge(request, signal) {
      const { limit, windowMs } = getQuota();
      if (limiter.limit !== limit || limiter.windowMs !== windowMs) limiter.setLimits({ limit, windowMs });
      const decision = await limiter.consume(key);
      if (!decision.allowed) {
        throw new ProcessorUnavailableError('the processor quota is spent', {
          retryAfterMs: decision.retryAfterMs,
        });
      }
      return processor.charge(request, signal);
    },
  };
}
