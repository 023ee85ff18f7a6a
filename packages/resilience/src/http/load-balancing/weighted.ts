import type { Candidate, LoadBalancer } from './load-balancer.ts';

/**
 * Smooth weighted round robin (the nginx algorithm): over any window of `sum(weights)` picks,
 * each endpoint gets exactly its share, interleaved rather than in bursts. Used for canary
 * splits such as 90/10.
 */
export class WeightedBalancer implements LoadBalancer {
  readonly #current = new Map<string, number>();

  pick<C extends Candidate>(candidates: readonly C[]): C {
    let total = 0;
    let best: C | undefined;
    let bestScore = -Infinity;
    for (const c of candidates) {
      const score = (this.#current.get(c.key) ?? 0) + c.weight;
      this.#current.set(c.key, score);
      total += c.weight;
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    const chosen = best ?? candidates[0]!;
    this.#current.set(chosen.key, bestScore - total);
    if (this.#current.size > candidates.length * 4) this.#forgetGone(candidates);
    return chosen;
  }

  // Endpoints that left (DNS changes) would otherwise keep their counters forever.
  #forgetGone(candidates: readonly Candidate[]): void {
    const keep = new Set(candidates.map((c) => c.key));
    for (const key of this.#current.keys()) if (!keep.has(key)) this.#current.delete(key);
  }
}
