import type { Candidate, LoadBalancer } from './load-balancer.ts';

/**
 * Power of two choices: samples two distinct endpoints at random and takes the one with fewer
 * requests in flight. Nearly as good as scanning all endpoints, O(1), and it avoids herding onto
 * one "least loaded" endpoint that every client would otherwise pick at once.
 */
export class LeastRequestBalancer implements LoadBalancer {
  readonly #random: () => number;

  /** @param random source of numbers in [0, 1) (tests inject a seeded one) */
  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  pick<C extends Candidate>(candidates: readonly C[]): C {
    const n = candidates.length;
    if (n === 1) return candidates[0]!;
    const i = Math.floor(this.#random() * n);
    // Second index drawn from the other n-1 slots, so the two samples are always distinct.
    const j = (i + 1 + Math.floor(this.#random() * (n - 1))) % n;
    const a = candidates[i]!;
    const b = candidates[j]!;
    return b.inFlight < a.inFlight ? b : a;
  }
}
