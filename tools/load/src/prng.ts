/**
 * A small seeded pseudo-random number generator (mulberry32). Not cryptographic: it exists so
 * that one `--seed` reproduces the same traffic mix and the same generated data on every run,
 * which `Math.random` cannot do.
 */
export interface Prng {
  /** The next value in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/**
 * Creates a PRNG whose whole sequence is fixed by `seed` (an unsigned 32-bit integer).
 * @param seed any integer; it is reduced to 32 bits
 */
export function createPrng(seed: number): Prng {
  if (!Number.isInteger(seed)) {
    throw new RangeError(`seed must be an integer, got ${seed}`);
  }
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (maxExclusive) => Math.floor(next() * maxExclusive),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick needs a non-empty array');
      return item;
    },
  };
}

/** A fresh random seed for runs without `--seed`; printed in the summary so the run can be repeated. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}
