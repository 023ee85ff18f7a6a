import { errorBrand, hasBrand } from './brand.ts';

const brand = 'BulkheadRejectedError';

/** Thrown by a bulkhead that cannot run a call: every slot and queue place is taken, or the call waited in the queue longer than `queueTimeoutMs`. */
export class BulkheadRejectedError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'bulkhead_rejected' as const;
  /** Name of the bulkhead that rejected the call. */
  readonly bulkhead: string;
  /** `full`: no slot and no queue place; `queue_timeout`: queued longer than allowed. */
  readonly reason: 'full' | 'queue_timeout';
  declare readonly [errorBrand]: string;

  constructor(bulkhead: string, reason: 'full' | 'queue_timeout') {
    super(
      reason === 'full'
        ? `bulkhead "${bulkhead}" is full; call not attempted`
        : `bulkhead "${bulkhead}" queue timeout elapsed; call not attempted`,
    );
    this.name = 'BulkheadRejectedError';
    this.bulkhead = bulkhead;
    this.reason = reason;
    Object.defineProperty(this, errorBrand, { value: brand });
  }
}

/** True for a {@link BulkheadRejectedError}, also one created by another copy of this package. */
export function isBulkheadRejectedError(value: unknown): value is BulkheadRejectedError {
  return hasBrand(value, brand);
}
