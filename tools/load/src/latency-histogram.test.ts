import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.ts';

describe('LatencyHistogram', () => {
  it('reports percentiles of recorded values within 0.1 %', () => {
    const histogram = new LatencyHistogram();
    for (let ms = 1; ms <= 1000; ms += 1) histogram.recordMs(ms);
    const summary = histogram.summary();
    expect(summary.count).toBe(1000);
    expect(summary.p50Ms).toBeCloseTo(500, -0.3);
    expect(summary.p99Ms).toBeCloseTo(990, -0.3);
    expect(summary.p999Ms).toBeCloseTo(999, -0.3);
    expect(summary.maxMs).toBeCloseTo(1000, -0.3);
  });

  it('keeps sub-millisecond resolution', () => {
    const histogram = new LatencyHistogram();
    histogram.recordMs(0.25);
    expect(histogram.summary().p50Ms).toBeCloseTo(0.25, 3);
  });

  it('reports zeros when empty', () => {
    expect(new LatencyHistogram().summary()).toMatchObject({ count: 0, p99Ms: 0, maxMs: 0 });
  });
});
