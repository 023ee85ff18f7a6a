import { brandError, errorBrand, hasBrand } from '@shipshape/service-kit';

const brand = '@shipshape/order-service/InvalidStatusTransitionError';

/**
 * Thrown by `setOrderStatus` for a transition the order lifecycle does not have (for example
 * `paid` → `pending`). It is checked before Redis is touched, so nothing changed.
 */
export class InvalidStatusTransitionError extends Error {
  /** Stable machine-readable code (see the error catalogue). */
  readonly code = 'invalid_status_transition' as const;
  readonly from: string;
  readonly to: string;
  declare readonly [errorBrand]: string;

  constructor(from: string, to: string, options?: ErrorOptions) {
    super(`an order cannot move from "${from}" to "${to}"`, options);
    this.name = 'InvalidStatusTransitionError';
    this.from = from;
    this.to = to;
    brandError(this, brand);
  }
}

/** True for an {@link InvalidStatusTransitionError}, also one created by another copy of this module. */
export function isInvalidStatusTransitionError(value: unknown): value is InvalidStatusTransitionError {
  return hasBrand(value, brand);
}
