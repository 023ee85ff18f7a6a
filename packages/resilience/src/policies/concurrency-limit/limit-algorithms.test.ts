import { describe, expect, it } from 'vitest';
import { AimdLimit } from './aimd-limit.ts';
import { Gradient2Limit } from './gradient2-limit.ts';

const sample = (rttMs: number, inFlight: number, dropped = false) => ({ rttMs, inFlight, dropped });

describe('AimdLimit', () => {
  it('adds 1 per success while at least half the limit is in use', () => {
    const aimd = new AimdLimit({ initialLimit: 10 });
    expect(aimd.update(sample(5, 5))).toBe(11);
    expect(aimd.update(sample(5, 2))).toBe(11);
  });

  it('multiplies by backoffRatio per drop and never leaves [minLimit, maxLimit]', () => {
    const aimd = new AimdLimit({ initialLimit: 10, minLimit: 8, maxLimit: 11, backoffRatio: 0.5 });
    expect(aimd.update(sample(5, 10, true))).toBe(8);
    for (let i = 0; i < 5; i++) aimd.update(sample(5, 10));
    expect(aimd.update(sample(5, 10))).toBe(11);
  });

  it('validates its options, naming the option and the value', () => {
    expect(() => new AimdLimit({ backoffRatio: 1 })).toThrow('backoffRatio must be in (0, 1), got 1');
    expect(() => new AimdLimit({ minLimit: 0 })).toThrow('minLimit must be an integer >= 1, got 0');
    expect(() => new AimdLimit({ initialLimit: 300 })).toThrow(
      'initialLimit must be <= maxLimit (200), got 300',
    );
    expect(() => new AimdLimit({ maxLimit: 5, minLimit: 10, initialLimit: 10 })).toThrow(
      'maxLimit must be an integer >= 10, got 5',
    );
  });
});

describe('Gradient2Limit', () => {
  it('grows by about queueSize x smoothing per call while latency stays at its average', () => {
    const g = new Gradient2Limit({ initialLimit: 20 });
    for (let i = 0; i < 10; i++) g.update(sample(100, 20));
    expect(g.update(sample(100, 20))).toBe(28);
    expect(g.longRttMs).toBe(100);
  });

  it('shrinks when calls get slower than rttTolerance x the long-term average', () => {
    const g = new Gradient2Limit({ initialLimit: 40 });
    for (let i = 0; i < 10; i++) g.update(sample(100, 1));
    const before = g.update(sample(100, 1));
    expect(before).toBe(40);
    expect(g.update(sample(400, 40))).toBeLessThan(before);
  });

  it('stays within its bounds', () => {
    const g = new Gradient2Limit({ initialLimit: 5, minLimit: 3, maxLimit: 6, queueSize: 1 });
    for (let i = 0; i < 50; i++) g.update(sample(100, 6));
    expect(g.update(sample(100, 6))).toBe(6);
    for (let i = 0; i < 50; i++) g.update(sample(10_000, 6));
    expect(g.update(sample(10_000, 6))).toBe(3);
  });

  it('validates its options, naming the option and the value', () => {
    expect(() => new Gradient2Limit({ smoothing: 0 })).toThrow('smoothing must be in (0, 1], got 0');
    expect(() => new Gradient2Limit({ rttTolerance: 0.5 })).toThrow(
      'rttTolerance must be a finite number >= 1, got 0.5',
    );
    expect(() => new Gradient2Limit({ longWindow: 0 })).toThrow('longWindow must be an integer >= 1, got 0');
  });
});
