import { brandError, errorBrand, hasBrand } from './brand.ts';

const brand = '@shipshape/service-kit/IdempotencyKeyReusedError';

/**
 * Thrown when an Idempotency-Key arrives with a body different from the one it was first used with
 * (order creation, charging). Answering the first result would hide a client bug; acting again
 * would break the key's promise, so the request is refused. Catalogue code
 * `idempotency_key_reused` (422) in every service that takes the header.
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
