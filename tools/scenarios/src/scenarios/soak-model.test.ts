import { describe, expect, it } from 'vitest';
import { keyPattern } from '../observe/redis-footprint.ts';
import { orderCosts, patternKind, predictPlateau, type Calibration } from './soak-model.ts';

describe('keyPattern', () => {
  it.each([
    ['order:order:0192f0c5-5b7e-7c3a-9a51-3f1f0e0c9b2d', 'order:order:<id>'],
    ['order:idem:load-1a2b-17', 'order:idem:<id>'],
    ['payment:processor:0192f0c5-5b7e-7c3a-9a51-3f1f0e0c9b2d', 'payment:processor:<id>'],
    ['order:bull:payments:0192f0c5-5b7e-7c3a-9a51-3f1f0e0c9b2d', 'order:bull:payments:<jobId>'],
    ['order:bull:payments:completed', 'order:bull:payments:completed'],
    ['user:email:ada@example.com', 'user:email:<id>'],
  ])('%s → %s', (key, pattern) => {
    expect(keyPattern(key)).toBe(pattern);
  });
});

describe('the soak memory model', () => {
  const calibration: Calibration = {
    orders: 100,
    usedBefore: 1_000_000,
    // 100 orders: 100 order hashes of 500 B, 80 job hashes of 1,000 B left after trimming,
    // 400 event entries of 100 B; 10,000 B the keyspace dictionaries took on top.
    usedAfter: 1_000_000 + 50_000 + 80_000 + 40_000 + 10_000,
    before: [{ pattern: 'order:bull:payments:events', keys: 1, bytes: 0, members: 0 }],
    after: [
      { pattern: 'order:order:<id>', keys: 100, bytes: 50_000, members: 200 },
      { pattern: 'order:bull:payments:<jobId>', keys: 80, bytes: 80_000, members: 800 },
      { pattern: 'order:bull:payments:events', keys: 1, bytes: 40_000, members: 400 },
    ],
  };

  it('spreads what MEMORY USAGE misses over the new keys and counts trimmed jobs by what is left', () => {
    const costs = orderCosts(calibration);
    expect(costs.overheadPerKey).toBeCloseTo(10_000 / 180);
    expect(costs.bytesPerEvent).toBe(100);
    const cost = (pattern: string) => costs.patterns.find((p) => p.pattern === pattern)?.bytesPerOrder;
    expect(cost('order:order:<id>')).toBeCloseTo(500 + 10_000 / 180);
    expect(cost('order:bull:payments:<jobId>')).toBeCloseTo(1_000 + 10_000 / 180);
    expect(patternKind('order:bull:payments:events')).toBe('events');
  });

  it('predicts baseline + rate × lifetime × per-order bytes + min(rate × age, count) jobs + the capped stream', () => {
    const costs = orderCosts(calibration);
    const plateau = predictPlateau(costs, {
      ordersPerSecond: 10,
      orderLifetimeMs: 60_000,
      completedJobMs: 3_600_000,
      completedJobCount: 1_000,
      eventsMaxLen: 10_000,
      baselineBytes: 2_000_000,
    });
    expect(plateau.retainedOrders).toBe(600);
    expect(plateau.retainedJobs).toBe(1_000);
    expect(plateau.eventsBytes).toBe(10_100 * 100);
    expect(plateau.totalBytes).toBeCloseTo(
      2_000_000 + 600 * (500 + 10_000 / 180) + 1_000 * (1_000 + 10_000 / 180) + 1_010_000,
    );
  });
});
