import type { LabelValues } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricsRegistry } from './metrics-registry.ts';
import { SeriesHistogram } from './series-histogram.ts';

const spec = {
  name: 'http_server_request_duration_seconds',
  help: 'Duration of HTTP requests handled by the server, in seconds.',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.1, 1],
};

type Labels = Record<(typeof spec.labelNames)[number], string>;
const get: Labels = { method: 'GET', route: '/users/:id', status_code: '200' };
const post: Labels = { method: 'POST', route: '/orders', status_code: '503' };
const trace = (n: number) => ({ trace_id: `${n}`.padStart(32, '0'), span_id: `${n}`.padStart(16, '0') });

// Values on bucket bounds, between them and above the last, a zero, exemplars in finite
// buckets and in +Inf, one replaced by a later one.
const observations: [Labels, number, ReturnType<typeof trace> | undefined][] = [
  [get, 0.003, trace(1)],
  [get, 0.005, undefined],
  [post, 0.2, trace(2)],
  [get, 0.05, undefined],
  [get, 7, trace(3)],
  [post, 0, undefined],
  [get, 0.004, trace(4)],
  [post, 1, undefined],
  [get, 12.5, undefined],
];

/** The same observations through prom-client's Histogram and through a SeriesHistogram. */
function bothRegistries(): { prom: MetricsRegistry; series: MetricsRegistry } {
  const prom = new MetricsRegistry({ service: 'order', defaultMetrics: false });
  const series = new MetricsRegistry({ service: 'order', defaultMetrics: false });
  const histogram = prom.histogram(spec);
  const fast = series.seriesHistogram(spec);
  for (const [labels, value, exemplar] of observations) {
    // prom-client types exemplar labels as the metric's own label names; any names are valid.
    if (exemplar) histogram.observe({ labels, value, exemplarLabels: exemplar as LabelValues<string> });
    else histogram.observe({ labels, value });
    const bound = fast.series(labels);
    const bucket = bound.observe(value);
    if (exemplar) bound.exemplar(bucket, exemplar, value);
  }
  return { prom, series };
}

describe('SeriesHistogram', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renders byte for byte what prom-client renders for the same observations, in both formats', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T12:00:00.123Z'), toFake: ['Date'] });
    const { prom, series } = bothRegistries();
    const openMetrics = await series.render('openmetrics');
    expect(openMetrics).toBe(await prom.render('openmetrics'));
    expect(await series.render('prometheus')).toBe(await prom.render('prometheus'));
    // What is compared: cumulative buckets with le first, the service label, exemplars.
    expect(openMetrics).toContain(
      'http_server_request_duration_seconds_bucket{le="0.005",service="order",method="GET",route="/users/:id",status_code="200"} 3 # {trace_id="00000000000000000000000000000004",span_id="0000000000000004"} 0.004 1795867200.123',
    );
    expect(openMetrics).toContain(
      'http_server_request_duration_seconds_bucket{le="+Inf",service="order",method="GET",route="/users/:id",status_code="200"} 6 # {trace_id="00000000000000000000000000000003",span_id="0000000000000003"} 7 1795867200.123',
    );
    expect(openMetrics).toContain(
      'http_server_request_duration_seconds_sum{service="order",method="POST",route="/orders",status_code="503"} 1.2',
    );
    expect(await series.registry.getMetricsAsJSON()).toEqual(await prom.registry.getMetricsAsJSON());
  });

  it('leaves series out after reset until they are observed again, as prom-client does', async () => {
    const { prom, series } = bothRegistries();
    prom.registry.resetMetrics();
    series.registry.resetMetrics();
    expect(await series.render('prometheus')).toBe(await prom.render('prometheus'));
    expect(await series.render('prometheus')).not.toContain('_bucket');
    prom.histogram(spec).observe({ labels: post, value: 0.02 });
    series.seriesHistogram(spec).series(post).observe(0.02);
    expect(await series.render('openmetrics')).toBe(await prom.render('openmetrics'));
  });

  it('returns one series per label set, whatever the key order, and checks labels and values', () => {
    const histogram = new SeriesHistogram(spec);
    const one = histogram.series(get);
    expect(histogram.series({ status_code: '200', route: '/users/:id', method: 'GET' })).toBe(one);
    expect(one.observe(0.01)).toBe(1);
    expect(one.observe(99)).toBe(4);
    expect(() => histogram.series({ method: 'GET', route: '/' } as Labels)).toThrow(/must be exactly/);
    expect(() => histogram.series({ ...get, status_code: 200 as unknown as string })).toThrow(TypeError);
    expect(() => one.observe(Number.NaN)).toThrow(TypeError);
    expect(() => one.exemplar(0, { trace_id: 'x'.repeat(130) }, 0.001)).toThrow(RangeError);
    expect(() => new SeriesHistogram({ ...spec, buckets: [1, 0.5] })).toThrow(RangeError);
    expect(() => new SeriesHistogram({ ...spec, labelNames: ['le'] })).toThrow(/reserved/);
  });

  it('is one kind per metric name in a MetricsRegistry', () => {
    const metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
    expect(metrics.seriesHistogram(spec)).toBe(metrics.seriesHistogram(spec));
    expect(() => metrics.histogram(spec)).toThrow(/already exists as a series histogram/);
  });
});
