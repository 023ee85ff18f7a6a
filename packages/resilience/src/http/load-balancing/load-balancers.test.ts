import { describe, expect, it } from 'vitest';
import type { Candidate } from './load-balancer.ts';
import { LeastRequestBalancer } from './least-request.ts';
import { RandomBalancer } from './random.ts';
import { RoundRobinBalancer } from './round-robin.ts';
import { WeightedBalancer } from './weighted.ts';
import { createLoadBalancer } from './create-load-balancer.ts';

const endpoints = (spec: [string, number, number][]): Candidate[] =>
  spec.map(([key, inFlight, weight]) => ({ key, inFlight, weight }));

function tally(pick: () => Candidate, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const key = pick().key;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Cycles through fixed numbers, so random choices are known. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('load balancers', () => {
  it('round robin visits endpoints in order', () => {
    const list = endpoints([
      ['a', 0, 1],
      ['b', 0, 1],
      ['c', 0, 1],
    ]);
    const lb = new RoundRobinBalancer();
    expect(Array.from({ length: 6 }, () => lb.pick(list).key)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('random picks the endpoint the random source points at', () => {
    const list = endpoints([
      ['a', 0, 1],
      ['b', 0, 1],
      ['c', 0, 1],
    ]);
    const lb = new RandomBalancer(sequence(0, 0.5, 0.99));
    expect([lb.pick(list).key, lb.pick(list).key, lb.pick(list).key]).toEqual(['a', 'b', 'c']);
  });

  it('least request takes the less loaded of two distinct samples', () => {
    const list = endpoints([
      ['a', 5, 1],
      ['b', 1, 1],
      ['c', 0, 1],
    ]);
    // Samples a (index 0) and then b (index 0 + 1 + 0): b has fewer requests in flight.
    expect(new LeastRequestBalancer(sequence(0, 0)).pick(list).key).toBe('b');
    // Samples c (index 2) and a (index (2 + 1 + 0) % 3): c wins.
    expect(new LeastRequestBalancer(sequence(0.9, 0)).pick(list).key).toBe('c');
  });

  it('least request never sends to the busiest of two endpoints', () => {
    const list = endpoints([
      ['busy', 10, 1],
      ['idle', 0, 1],
    ]);
    const lb = new LeastRequestBalancer();
    expect(tally(() => lb.pick(list), 100)).toEqual({ idle: 100 });
  });

  it('weighted splits exactly by weight over a full cycle (90/10 canary)', () => {
    const list = endpoints([
      ['stable', 0, 9],
      ['canary', 0, 1],
    ]);
    const lb = new WeightedBalancer();
    expect(tally(() => lb.pick(list), 100)).toEqual({ stable: 90, canary: 10 });
  });

  it('weighted interleaves instead of bursting', () => {
    const list = endpoints([
      ['a', 0, 2],
      ['b', 0, 1],
    ]);
    const lb = new WeightedBalancer();
    expect(Array.from({ length: 6 }, () => lb.pick(list).key)).toEqual(['a', 'b', 'a', 'a', 'b', 'a']);
  });

  it('builds built-ins by name and passes custom balancers through', () => {
    expect(createLoadBalancer('weighted')).toBeInstanceOf(WeightedBalancer);
    const custom = { pick: <C extends Candidate>(c: readonly C[]): C => c[0]! };
    expect(createLoadBalancer(custom)).toBe(custom);
  });
});
