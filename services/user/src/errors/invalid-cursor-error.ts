import { brandError, errorBrand, hasBrand } from '@shipshape/service-kit';

const brand = '@shipshape/user-service/InvalidCursorError';

/**
 * Thrown by `listUsers` when a pagination cursor was not produced by this service (tampered,
 * truncated or from another listing). Cursors are opaque: clients only echo `nextCursor` back.
 */
export class InvalidCursorError extends Error {
  /** Stable machine-readable code (see the error catalogue). */
  readonly code = 'invalid_cursor' as const;
  declare readonly [errorBrand]: string;

  constructor(options?: ErrorOptions) {
    super('the pagination cursor is not valid; pass back a nextCursor exactly as received', options);
    this.name = 'InvalidCursorError';
    brandError(this, brand);
  }
}

/** True for an {@link InvalidCursorError}, also one created by another copy of this module. */
export function isInvalidCursorError(value: unknown): value is InvalidCursorError {
  return hasBrand(value, brand);
}
