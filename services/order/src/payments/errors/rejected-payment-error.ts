import { brandError, errorBrand, hasBrand } from '@shipshape/service-kit';

const brand = '@shipshape/order-service/RejectedPaymentError';

/**
 * The payment service refused the charge request itself with a 4xx that retrying cannot change
 * (400 invalid body, 422 `idempotency_key_reused`, …). This is not a decline, since the processor
 * never saw the charge. The job is dead-lettered at once and the order becomes `payment_failed`,
 * so an operator can look at it instead of the queue retrying forever.
 */
export class RejectedPaymentError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'payment_rejected' as const;
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The problem `code` of the answer, when it had one. */
  readonly problemCode: string | undefined;
  declare readonly [errorBrand]: string;

  constructor(status: number, problemCode: string | undefined, options?: ErrorOptions) {
    super(`payment service rejected the charge: ${status}${problemCode ? ` (${problemCode})` : ''}`, options);
    this.name = 'RejectedPaymentError';
    this.status = status;
    this.problemCode = problemCode;
    brandError(this, brand);
  }
}

/** True for a {@link RejectedPaymentError}, also one created by another copy of this module. */
export function isRejectedPaymentError(value: unknown): value is RejectedPaymentError {
  return hasBrand(value, brand);
}
