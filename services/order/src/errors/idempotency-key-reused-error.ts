import { brandError, errorBrand, hasBrand } from '@shipshape/service-kit';

const brand = '@shipshape/order-service/IdempotencyKeyReusedError';

/**
 * Thrown by `createOrder` when an Idempotency-Key arrives with a body different from the one it was
 * first used with. Answering the first order would hide a client bug; creating a second would break
 * the key's promise, so the request is refused.
 */
export class IdempotencyKeyReusedError extends Error {
  /** Stable machine-readable code (see the error catalogue). */
  readonly code = 'idempotency_key_reused' as const;
  /** The reused key. */
  readonly idempotencyKey: string;
  declare readonly [errorBrand]: string;

  constructor(idempotencyKey: string, options?: ErrorOptions) {
    super(`Idempotency-Key "${idempotencyKey}" was already used with a different request body`, options);
    this.name = 'IdempotencyKeyReusedError';
    this.idempotencyKey = idempotencyKey;
    brandError(this, brand);
  }
}

/** True for an {@link IdempotencyKeyReusedError}, also one created by another copy of this module. */
export function isIdempotencyKeyReusedError(value: unknown): value is IdempotencyKeyReusedError {
  return hasBrand(value, brand);
}
