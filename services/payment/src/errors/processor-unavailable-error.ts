import { brandError, errorBrand, hasBrand } from '@shipshape/service-kit';

const brand = '@shipshape/payment-service/ProcessorUnavailableError';

/** Options of {@link ProcessorUnavailableError}. */
export interface ProcessorUnavailableErrorOptions extends ErrorOptions {
  /**
   * When the processor can be tried again, in ms (a spent processor quota knows it).
   * @default unset: the service's `processor.retryAfterMs` applies
   */
  retryAfterMs?: number;
}

/**
 * A transient processor failure: nothing was charged and nothing was stored, and the
 * Idempotency-Key was released, so the same request may be retried. (A decline is not an error:
 * it is a stored payment with status `declined`.)
 */
export class ProcessorUnavailableError extends Error {
  /** Stable machine-readable code (see the error catalogue). */
  readonly code = 'processor_unavailable' as const;
  /** When the processor can be tried again, in ms, when known. */
  readonly retryAfterMs: number | undefined;
  declare readonly [errorBrand]: string;

  constructor(message = 'the payment processor is unavailable', options?: ProcessorUnavailableErrorOptions) {
    const { retryAfterMs, ...errorOptions } = options ?? {};
    super(message, errorOptions);
    this.name = 'ProcessorUnavailableError';
    this.retryAfterMs = retryAfterMs;
    brandError(this, brand);
  }
}

/** True for a {@link ProcessorUnavailableError}, also one created by another copy of this module. */
export function isProcessorUnavailableError(value: unknown): value is ProcessorUnavailableError {
  return hasBrand(value, brand);
}
