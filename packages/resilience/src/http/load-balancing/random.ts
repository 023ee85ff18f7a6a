import type { Candidate, LoadBalancer } from './load-balancer.ts';

/** Picks uniformly at random; no shared state, so many clients never synchronise. */
export class RandomBalancer implements LoadBalancer {
  readonly #random: () => number;

  /** @param random source of numbers in [0, 1) (tests inject a seeded one) */
  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  pick<C extends Candidate>(candidates: readonly C[]): C {
    return candidates[Math.floor(this.#random() * candidates.length)]!;
  }
}
