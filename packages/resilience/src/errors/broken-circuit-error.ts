import { errorBrand, hasBrand } from './brand.ts';

const brand = 'BrokenCircuitError';

/** Thrown by a circuit breaker that rejects a call without running it (open, isolated, or half-open with every probe slot taken). */
export class BrokenCircuitError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'circuit_open' as const;
  /** Name of the breaker that rejected the call. */
  readonly breaker: string;
  /** Breaker state at the time of the rejection. */
  readonly state: 'open' | 'half_open' | 'isolated';
  /**
   * Milliseconds until the breaker admits a probe again, when known (open state). Undefined while
   * isolated (only `reset()` ends that) or half-open (probes are in flight now). Services turn it
   * into a `Retry-After` header; a retry policy honours it as a server-guided delay.
   */
  readonly retryAfterMs: number | undefined;
  declare readonly [errorBrand]: string;

  constructor(breaker: string, state: 'open' | 'half_open' | 'isolated', retryAfterMs?: number) {
    super(`circuit breaker "${breaker}" is ${state.replace('_', '-')}; call not attempted`);
    this.name = 'BrokenCircuitError';
    this.breaker = breaker;
    this.state = state;
    this.retryAfterMs = retryAfterMs;
    Object.defineProperty(this, errorBrand, { value: brand });
  }
}

/** True for a {@link BrokenCircuitError}, also one created by another copy of this package. */
export function isBrokenCircuitError(value: unknown): value is BrokenCircuitError {
  return hasBrand(value, brand);
}
