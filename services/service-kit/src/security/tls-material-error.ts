import { brandError, errorBrand, hasBrand } from '../errors/brand.ts';

const brand = '@shipshape/service-kit/TlsMaterialError';

/**
 * The configured TLS material cannot be used: a PEM that does not parse, a key that does not
 * belong to the certificate, a certificate without a DNS identity. At startup the service stops
 * with it; on a runtime change the previous material stays in use. The message never contains
 * key material.
 */
export class TlsMaterialError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'ERR_TLS_MATERIAL' as const;
  declare readonly [errorBrand]: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TlsMaterialError';
    brandError(this, brand);
  }
}

/** True for a {@link TlsMaterialError}, also one created by another copy of this module. */
export function isTlsMaterialError(value: unknown): value is TlsMaterialError {
  return hasBrand(value, brand);
}
