import { describe, expect, it } from 'vitest';
import type { Backoff } from './backoff.ts';
import { ConstantBackoff } from './constant-backoff.ts';
import { DecorrelatedJitterBackoff } from './decorrelated-jitter-backoff.ts';
import { ExponentialBackoff } from './exponential-backoff.ts';
import { FullJitterBackoff } from './full-jitter-backoff.ts';
import { LinearBackoff } from './linear-backoff.ts';

/** Deterministic random source: returns the given values in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return (): number => values[i++ % values.length]!;
};

/** Delays for attempts 1..n, feeding each delay back as the previous one. */
function curve(backoff: Backoff, n: number): number[] {
  const delays: number[] = [];
  let previous = 0;
  for (let attempt = 1; attempt <= n; attempt++) {
    previous = backoff.delayMs(attempt, previous);
    delays.push(previous);
  }
  return delays;
}

describe('backoff curves', () => {
  it('constant: the same delay every time', () => {
    expect(curve(new ConstantBackoff(250), 4)).toEqual([250, 250, 250, 250]);
  });

  it('linear: initial plus a step per attempt, capped', () => {
    expect(curve(new LinearBackoff({ initialDelayMs: 100, stepMs: 50, maxDelayMs: 220 }), 5)).toEqual([
      100, 150, 200, 220, 220,
    ]);
  });

  it('exponential: initial times factor^(n-1), capped', () => {
    expect(curve(new ExponentialBackoff({ initialDelayMs: 100, factor: 3, maxDelayMs: 2_000 }), 5)).toEqual([
      100, 300, 900, 2_000, 2_000,
    ]);
  });

  it('full jitter: random share of the capped exponential bound', () => {
    const backoff = new FullJitterBackoff({
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      random: sequence(0.5, 0.25, 0, 0.999, 0.5),
    });
    expect(curve(backoff, 5)).toEqual([50, 50, 0, 799.2, 500]);
  });

  it('decorrelated jitter: uniform between initial and 3x the previous delay, capped', () => {
    const backoff = new DecorrelatedJitterBackoff({
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      random: sequence(0.5, 1, 0, 0.5),
    });
    // 100 + 0.5 × (300 − 100) = 200; 100 + 1 × (600 − 100) = 600; 100 + 0 = 100; 100 + 0.5 × 200 = 200
    expect(curve(backoff, 4)).toEqual([200, 600, 100, 200]);
  });

  it('decorrelated jitter never exceeds maxDelayMs', () => {
    const backoff = new DecorrelatedJitterBackoff({
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      random: () => 0.999,
    });
    expect(Math.max(...curve(backoff, 20))).toBe(1_000);
  });

  it('rejects bad options naming them', () => {
    expect(() => new ConstantBackoff(-1)).toThrow('delayMs must be a finite number >= 0, got -1');
    expect(() => new ExponentialBackoff({ factor: 0.5 })).toThrow(
      'factor must be a finite number >= 1, got 0.5',
    );
    expect(() => new LinearBackoff({ stepMs: Number.NaN })).toThrow('stepMs');
  });
});
