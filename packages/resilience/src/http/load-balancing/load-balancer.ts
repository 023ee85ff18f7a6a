/** What a load balancer may look at when choosing among healthy endpoints. */
export interface Candidate {
  /** Stable identity, `host:port`. */
  readonly key: string;
  /** Requests currently in flight to this endpoint from this client. */
  readonly inFlight: number;
  /** Relative weight (> 0); only weighted balancers read it. */
  readonly weight: number;
}

/**
 * Chooses one endpoint among the currently eligible ones (already filtered for health). Plug
 * in your own by implementing `pick`; it is called once per attempt with a non-empty array.
 */
export interface LoadBalancer {
  /** Returns one element of `candidates` (never called with an empty array). */
  pick<C extends Candidate>(candidates: readonly C[]): C;
}

/** Names of the built-in balancers accepted by the `loadBalancer` option. */
export type LoadBalancerName = 'round_robin' | 'random' | 'least_request' | 'weighted';
