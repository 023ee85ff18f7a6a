import { brandError, errorBrand, hasBrand } from '@shipshape/service-kit';

const brand = '@shipshape/order-service/TransientPaymentError';

/** Options of {@link TransientPaymentError}. */
export interface TransientPaymentErrorOptions extends ErrorOptions {
  /**
   * How long the payment service asked us to wait (`Retry-After`, breaker open time, limiter
   * reset), in ms; the queue never retries sooner.
   * @default undefined (no hint: the backoff alone decides)
   */
  retryAfterMs?: number | undefined;
}

/**
 * A charge that failed without an answer that settles it (503, transport error, breaker open,
 * rate limited, timeout, a concurrent request with the same key): the job fails and BullMQ
 * retries it after the backoff. Nothing was charged twice, because the Idempotency-Key is the
 * order id.
 */
export class TransientPaymentError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'payment_transient_failure' as const;
  /** A bounded token for logs and metrics: `http_503`, `circuit_open`, `timeout`, … */
  readonly reason: string;
  /** Wait requested by the upstream, in ms, when it gave one. */
  readonly retryAfterMs: number | undefined;
  declare readonly [errorBrand]: string;

  constructor(reason: string, message: string, options?: TransientPaymentErrorOptions) {
    const { retryAfterMs, ...errorOptions } = options ?? {};
    super(message, errorOptions);
    this.name = 'TransientPaymentError';
    this.reason = reason;
    this.retryAfterMs = retryAfterMs;
    brandError(this, brand);
  }
}

/** True for a {@link TransientPaymentError}, also one created by another copy of this module. */
export function isTransientPaymentError(value: unknown): value is TransientPaymentError {
  return hasBrand(value, brand);
}
