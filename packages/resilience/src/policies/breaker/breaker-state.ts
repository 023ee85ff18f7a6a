/** The state names a breaker reports (the `state` label of `resilience_circuit_breaker_state`). */
export type BreakerStateName = 'closed' | 'open' | 'half_open' | 'isolated';

/**
 * A breaker's state, with the data that belongs to each state only. A discriminated union
 * instead of flags, so "open but also counting probes" cannot be written down.
 *
 * Internal: the public view is {@link CircuitBreakerSnapshot}.
 */
export type BreakerState =
  | { readonly name: 'closed' }
  | {
      readonly name: 'open';
      /** Clock reading when the breaker opened (re-anchored if the clock goes backwards). */
      openedAt: number;
      /** How long this opening lasts, in ms. */
      readonly openForMs: number;
    }
  | {
      readonly name: 'half_open';
      /** Probe calls running now. */
      inFlight: number;
      /** Probe calls that succeeded since the breaker turned half-open. */
      successes: number;
    }
  | { readonly name: 'isolated' };

/** The one closed state: it carries no data, so it is shared instead of allocated. */
export const closedState: BreakerState = Object.freeze({ name: 'closed' });

/** The one isolated state. */
export const isolatedState: BreakerState = Object.freeze({ name: 'isolated' });
