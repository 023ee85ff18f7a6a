import { parseExposition } from '@shipshape/scenarios';
import { describe, expect, it } from 'vitest';
import { counterIncrease, histogramQuantile, type ReplicaSamples } from './metric-window.ts';

const scrape = (replicas: Record<string, string | undefined>): ReplicaSamples =>
  new Map(
    Object.entries(replicas).map(([name, text]) => [
      name,
      text === undefined ? undefined : parseExposition(text).samples,
    ]),
  );

const histogram = (counts: readonly [string, number][], route = '/orders'): string =>
  counts
    .map(
      ([le, n]) =>
        `http_server_request_duration_seconds_bucket{service="order",route="${route}",le="${le}"} ${n}`,
    )
    .join('\n');

describe('counterIncrease', () => {
  it('sums the increase over replicas and label sets that pass the filter', () => {
    const older = scrape({ a: 'x_total{k="1"} 10\nx_total{k="2"} 5', b: 'x_total{k="1"} 1' });
    const newer = scrape({ a: 'x_total{k="1"} 15\nx_total{k="2"} 9', b: 'x_total{k="1"} 3' });
    expect(counterIncrease(older, newer, 'x_total')).toBe(11);
    expect(counterIncrease(older, newer, 'x_total', (l) => l['k'] === '2')).toBe(4);
  });

  it('counts a reset counter (restarted replica) with its new value, skips replicas not scraped before', () => {
    const older = scrape({ a: 'x_total 100', b: undefined });
    const newer = scrape({ a: 'x_total 7', b: 'x_total 50' });
    expect(counterIncrease(older, newer, 'x_total')).toBe(7);
  });

  it('is null when no replica reports the metric (shown as not reported, not as 0)', () => {
    expect(counterIncrease(scrape({ a: 'y 1' }), scrape({ a: 'y 2' }), 'x_total')).toBeNull();
  });
});

describe('histogramQuantile', () => {
  it('interpolates inside the bucket over the window, as histogram_quantile does', () => {
    const older = scrape({
      a: histogram([
        ['0.1', 0],
        ['0.5', 0],
        ['+Inf', 0],
      ]),
    });
    // 100 new observations: 50 ≤ 0.1 s, 50 in (0.1, 0.5]
    const newer = scrape({
      a: histogram([
        ['0.1', 50],
        ['0.5', 100],
        ['+Inf', 100],
      ]),
    });
    const p99 = histogramQuantile(older, newer, 'http_server_request_duration_seconds', 0.99);
    expect(p99).toBeCloseTo(0.1 + 0.4 * (49 / 50), 6);
    expect(histogramQuantile(older, newer, 'http_server_request_duration_seconds', 0.5)).toBeCloseTo(0.1, 6);
  });

  it('sums buckets over replicas and routes, and is null with nothing observed', () => {
    const zero = histogram([
      ['0.1', 0],
      ['+Inf', 0],
    ]);
    const older = scrape({ a: zero, b: zero });
    const newer = scrape({
      a: histogram([
        ['0.1', 10],
        ['+Inf', 10],
      ]),
      b: histogram([
        ['0.1', 0],
        ['+Inf', 10],
      ]),
    });
    expect(histogramQuantile(older, newer, 'http_server_request_duration_seconds', 0.99)).toBe(0.1);
    expect(histogramQuantile(older, older, 'http_server_request_duration_seconds', 0.99)).toBeNull();
  });
});
