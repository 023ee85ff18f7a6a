// The shared decision table: every case runs unchanged against MemoryRateLimiter (injected
// clock) and RedisRateLimiter (the script's test-only clock override), so both backends are
// held to the same figures. Times are offsets from T0, which is aligned to every window used.
import type { RateLimitAlgorithm, RateLimitDecision } from './rate-limiter.ts';

export const T0 = 1_800_000_000_000;

export interface Step {
  /** ms after T0 (may be negative: a clock that went backwards). */
  at: number;
  cost?: number;
  /** Repeat this step n times (each expecting the same decision unless `expectEach`). */
  times?: number;
  expect?: Omit<RateLimitDecision, 'limit'>;
  expectEach?: Omit<RateLimitDecision, 'limit'>[];
}

export interface AlgorithmCase {
  algorithm: RateLimitAlgorithm;
  title: string;
  limit: number;
  windowMs: number;
  steps: Step[];
}

const ok = (remaining: number, resetMs: number) => ({ allowed: true, remaining, resetMs, retryAfterMs: 0 });
const no = (remaining: number, resetMs: number, retryAfterMs: number) => ({
  allowed: false,
  remaining,
  resetMs,
  retryAfterMs,
});

// Token bucket, GCRA and the leaky bucket (as a meter) are one function written three ways,
// so with limit 4 per 1000 ms (one unit per 250 ms) they share every figure.
const bucketCases = (algorithm: RateLimitAlgorithm): AlgorithmCase[] => [
  {
    algorithm,
    title: 'admits exactly the limit as a burst, then rejects until one unit is back',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 0, times: 4, expectEach: [ok(3, 250), ok(2, 500), ok(1, 750), ok(0, 1000)] },
      { at: 0, expect: no(0, 1000, 250) },
      { at: 249, expect: no(0, 751, 1) },
      { at: 250, expect: ok(0, 1000) },
      { at: 250, expect: no(0, 1000, 250) },
    ],
  },
  {
    algorithm,
    title: 'charges a cost above 1 and tells how long the missing units take',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 0, cost: 3, expect: ok(1, 750) },
      { at: 0, cost: 2, expect: no(1, 750, 250) },
      { at: 250, cost: 2, expect: ok(0, 1000) },
    ],
  },
  {
    algorithm,
    title: 'never admits a cost above the limit and leaves the state untouched',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 0, cost: 5, expect: no(0, 0, 1000) },
      { at: 0, cost: 4, expect: ok(0, 1000) },
      { at: 10, cost: 5, expect: no(0, 0, 1000) },
    ],
  },
  {
    algorithm,
    title: 'refills to the capacity and no further after a long idle',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 0, cost: 4, expect: ok(0, 1000) },
      { at: 3_600_000, expect: ok(3, 250) },
      { at: 3_600_000, cost: 3, expect: ok(0, 1000) },
      { at: 3_600_000, expect: no(0, 1000, 250) },
    ],
  },
  {
    algorithm,
    title: 'mints nothing when the clock goes backwards and counts the skew into the waits',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 0, cost: 4, expect: ok(0, 1000) },
      { at: -5000, expect: no(0, 6000, 5250) },
      { at: 249, expect: no(0, 751, 1) },
      { at: 250, expect: ok(0, 1000) },
    ],
  },
];

export const algorithmCases: AlgorithmCase[] = [
  ...bucketCases('token-bucket'),
  ...bucketCases('gcra'),
  ...bucketCases('leaky-bucket'),
  {
    algorithm: 'fixed-window',
    title: 'admits the limit per window and rejects until the window ends',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 100, times: 4, expectEach: [ok(3, 900), ok(2, 900), ok(1, 900), ok(0, 900)] },
      { at: 100, expect: no(0, 900, 900) },
      { at: 999, expect: no(0, 1, 1) },
      { at: 1000, expect: ok(3, 1000) },
    ],
  },
  {
    algorithm: 'fixed-window',
    title: 'admits twice the limit across a window edge (the known fixed-window burst)',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 999, cost: 4, expect: ok(0, 1) },
      { at: 1000, cost: 4, expect: ok(0, 1000) },
      { at: 1001, expect: no(0, 999, 999) },
    ],
  },
  {
    algorithm: 'fixed-window',
    title: 'charges costs, never admits a cost above the limit, and resets after idle',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 0, cost: 3, expect: ok(1, 1000) },
      { at: 10, cost: 2, expect: no(1, 990, 990) },
      { at: 10, cost: 5, expect: no(0, 0, 1000) },
      { at: 10, cost: 1, expect: ok(0, 990) },
      { at: 3_600_000, cost: 4, expect: ok(0, 1000) },
    ],
  },
  {
    algorithm: 'fixed-window',
    title: 'stays in the stored window when the clock goes backwards',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 100, cost: 4, expect: ok(0, 900) },
      { at: -5000, expect: no(0, 6000, 6000) },
      { at: 1000, expect: ok(3, 1000) },
    ],
  },
  {
    algorithm: 'sliding-window-log',
    title: 'admits the limit in any window and frees units as the oldest leave',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 0, expect: ok(3, 1000) },
      { at: 100, expect: ok(2, 1000) },
      { at: 200, expect: ok(1, 1000) },
      { at: 300, expect: ok(0, 1000) },
      { at: 300, expect: no(0, 1000, 700) },
      { at: 999, expect: no(0, 301, 1) },
      { at: 1000, expect: ok(0, 1000) },
      { at: 1000, cost: 2, expect: no(0, 1000, 200) },
      { at: 1200, cost: 2, expect: ok(0, 1000) },
    ],
  },
  {
    algorithm: 'sliding-window-log',
    title: 'never admits a cost above the limit, and empties after idle',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 0, cost: 3, expect: ok(1, 1000) },
      { at: 0, cost: 5, expect: no(0, 0, 1000) },
      { at: 500, cost: 2, expect: no(1, 500, 500) },
      { at: 3_600_000, cost: 4, expect: ok(0, 1000) },
    ],
  },
  {
    algorithm: 'sliding-window-log',
    title: 'counts entries stamped in the future when the clock goes backwards',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 0, times: 3, expectEach: [ok(3, 1000), ok(2, 1000), ok(1, 1000)] },
      { at: 300, expect: ok(0, 1000) },
      { at: -5000, expect: no(0, 6300, 6000) },
      { at: 1000, expect: ok(2, 1000) },
    ],
  },
  {
    algorithm: 'sliding-window-counter',
    title: 'admits the limit, then weighs the previous window as it slides out',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 100, times: 4, expectEach: [ok(3, 1900), ok(2, 1900), ok(1, 1900), ok(0, 1900)] },
      { at: 100, expect: no(0, 1900, 1150) },
      { at: 1000, expect: no(0, 1000, 250) },
      { at: 1249, expect: no(0, 751, 1) },
      { at: 1250, expect: ok(0, 1750) },
      { at: 1250, expect: no(0, 1750, 250) },
    ],
  },
  {
    algorithm: 'sliding-window-counter',
    title: 'charges costs, never admits a cost above the limit, and resets after idle',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 0, cost: 3, expect: ok(1, 2000) },
      { at: 500, cost: 2, expect: no(1, 1500, 834) },
      { at: 500, cost: 5, expect: no(0, 0, 1000) },
      { at: 3_600_000, cost: 4, expect: ok(0, 2000) },
    ],
  },
  {
    algorithm: 'sliding-window-counter',
    title: 'stays in the stored window when the clock goes backwards',
    limit: 4,
    windowMs: 1000,
    steps: [
      { at: 100, cost: 4, expect: ok(0, 1900) },
      { at: -5000, expect: no(0, 7000, 6250) },
      { at: 1250, expect: ok(0, 1750) },
    ],
  },
];

/** Runs one case's steps through `consume`, setting the clock before each; returns every decision. */
export async function runCase(
  testCase: AlgorithmCase,
  setNow: (ms: number) => void,
  consume: (cost: number) => Promise<RateLimitDecision>,
): Promise<{ actual: RateLimitDecision[]; expected: RateLimitDecision[] }> {
  const actual: RateLimitDecision[] = [];
  const expected: RateLimitDecision[] = [];
  for (const step of testCase.steps) {
    const times = step.times ?? 1;
    for (let i = 0; i < times; i++) {
      setNow(T0 + step.at);
      actual.push(await consume(step.cost ?? 1));
      const want = step.expectEach?.[i] ?? step.expect;
      if (want === undefined) throw new Error(`step at ${step.at} has no expectation`);
      expected.push({ ...want, limit: testCase.limit });
    }
  }
  return { actual, expected };
}
