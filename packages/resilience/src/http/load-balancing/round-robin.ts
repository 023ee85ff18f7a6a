import type { Candidate, LoadBalancer } from './load-balancer.ts';

/** Cycles through the eligible endpoints in order; even spread when endpoints are alike. */
export class RoundRobinBalancer implements LoadBalancer {
  #next = 0;

  pick<C extends Candidate>(candidates: readonly C[]): C {
    // The candidate list changes as endpoints are ejected; a modulo keeps the walk going.
    const index = this.#next++ % candidates.length;
    if (this.#next >= Number.MAX_SAFE_INTEGER) this.#next = 0;
    return candidates[index]!;
  }
}
