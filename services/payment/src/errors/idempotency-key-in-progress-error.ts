import { brandError, errorBrand, hasBrand } from '@shipshape/service-kit';

const brand = '@shipshape/payment-service/IdempotencyKeyInProgressError';

/**
 * Thrown by `charge` when another request holding the same Idempotency-Key is still talking to the
 * processor after this one waited `waitTimeoutMs`. Nothing was charged by this request; retrying
 * later returns the first request's payment.
 */
export class IdempotencyKeyInProgressError extends Error {
  /** Stable machine-readable code (see the error catalogue). */
  readonly code = 'idempotency_key_in_progress' as const;
  /** The key that is in progress. */
  readonly idempotencyKey: string;
  /** How long this request waited, in ms. */
  readonly waitedMs: number;
  declare readonly [errorBrand]: string;

  constructor(idempotencyKey: string, waitedMs: number, options?: ErrorOptions) {
    super(
      `a request with Idempotency-Key "${idempotencyKey}" is still in progress after ${waitedMs} ms`,
      options,
    );
    this.name = 'IdempotencyKeyInProgressError';
    this.idempotencyKey = idempotencyKey;
    this.waitedMs = waitedMs;
    brandError(this, brand);
  }
}

/** True for an {@link IdempotencyKeyInProgressError}, also one created by another copy of this module. */
export function isIdempotencyKeyInProgressError(value: unknown): value is IdempotencyKeyInProgressError {
  return hasBrand(value, brand);
}
