import { describe, expect, it } from 'vitest';
import {
  allOf,
  atLeast,
  atMost,
  checkHypotheses,
  percent,
  seconds,
  within,
  type Hypothesis,
} from './hypothesis.ts';

describe('threshold checks', () => {
  it('atMost passes at the limit and fails above it or when nothing was observed', () => {
    expect(atMost(5_000, 5_000, seconds)).toEqual({ pass: true, observed: '5.0 s', expected: '≤ 5.0 s' });
    expect(atMost(5_001, 5_000).pass).toBe(false);
    expect(atMost(undefined, 5_000)).toMatchObject({ pass: false, observed: 'not observed' });
    expect(atMost(Number.NaN, 5).pass).toBe(false);
  });

  it('atLeast passes at the limit and fails below it or when nothing was observed', () => {
    expect(atLeast(0.99, 0.99, percent)).toEqual({ pass: true, observed: '99.0%', expected: '≥ 99.0%' });
    expect(atLeast(0.989, 0.99).pass).toBe(false);
    expect(atLeast(undefined, 1).pass).toBe(false);
  });

  it('within holds the relative deviation to the tolerance and shows it', () => {
    expect(within(50.9, 50, 0.02)).toMatchObject({ pass: true, observed: '50.9 (+1.8%)' });
    expect(within(48.9, 50, 0.02)).toMatchObject({ pass: false, observed: '48.9 (-2.2%)' });
    expect(within(undefined, 50, 0.02).pass).toBe(false);
  });

  it('allOf passes only when every part passes', () => {
    expect(allOf(atMost(1, 2), atLeast(3, 2)).pass).toBe(true);
    expect(allOf(atMost(1, 2), atLeast(1, 2))).toMatchObject({ pass: false, observed: '1; 1' });
  });
});

describe('checkHypotheses', () => {
  it('reports each hypothesis and turns a throwing check into a failure', () => {
    const hypotheses: Hypothesis<{ value: number }>[] = [
      { id: 'small', statement: 'value is small', check: (o) => atMost(o.value, 10) },
      {
        id: 'broken',
        statement: 'reads something missing',
        check: () => {
          throw new Error('no such figure');
        },
      },
    ];
    const results = checkHypotheses(hypotheses, { value: 3 }, { short: true, fault: true });
    expect(results).toEqual([
      { id: 'small', statement: 'value is small', pass: true, observed: '3', expected: '≤ 10' },
      {
        id: 'broken',
        statement: 'reads something missing',
        pass: false,
        observed: 'check failed: no such figure',
        expected: '-',
      },
    ]);
  });
});
