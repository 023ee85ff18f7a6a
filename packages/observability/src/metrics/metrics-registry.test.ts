import { describe, expect, it } from 'vitest';
import { parseExposition, samplesOf, valueOf } from '@shipshape/test-harness/exposition';
import { MetricsRegistry } from './metrics-registry.ts';
import { negotiateFormat } from './metrics-handler.ts';
import { observeWithTrace } from './exemplar.ts';
import { DURATION_BUCKETS_SECONDS } from './names.ts';

const spanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
};

function registryWithData(): MetricsRegistry {
  const metrics = new MetricsRegistry({ service: 'order' });
  metrics.counter({ name: 'demo_total', help: 'demo', labelNames: ['kind'] }).inc({ kind: 'a' }, 3);
  const histogram = metrics.histogram({ name: 'demo_seconds', help: 'demo', labelNames: ['op'] });
  observeWithTrace(histogram, { op: 'read' }, 0.03, spanContext);
  return metrics;
}

describe('MetricsRegistry', () => {
  it('rejects an empty service name', () => {
    expect(() => new MetricsRegistry({ service: '' })).toThrow(
      new RangeError('service must be a non-empty string, got ""'),
    );
  });

  it('labels every series of both formats with the service', async () => {
    const metrics = registryWithData();
    for (const format of ['prometheus', 'openmetrics'] as const) {
      const exp = parseExposition(await metrics.render(format));
      expect(exp.samples.length).toBeGreaterThan(20);
      expect(exp.samples.filter((s) => s.labels.service !== 'order')).toEqual([]);
    }
  });

  it('includes the default process and Node.js runtime metrics', async () => {
    const exp = parseExposition(await new MetricsRegistry({ service: 'user' }).render('prometheus'));
    expect(exp.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(exp.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });

  it('can leave the default metrics out', async () => {
    const metrics = new MetricsRegistry({ service: 'user', defaultMetrics: false });
    expect(parseExposition(await metrics.render('prometheus')).samples).toEqual([]);
  });

  it('uses exactly the contract buckets for histograms', async () => {
    const exp = parseExposition(await registryWithData().render('prometheus'));
    const bounds = samplesOf(exp, 'demo_seconds_bucket').map((s) => s.labels.le);
    expect(bounds).toEqual([...DURATION_BUCKETS_SECONDS.map(String), '+Inf']);
    expect(valueOf(exp, 'demo_seconds_bucket', { le: '0.025' })).toBe(0);
    expect(valueOf(exp, 'demo_seconds_bucket', { le: '0.05' })).toBe(1);
    expect(valueOf(exp, 'demo_seconds_count')).toBe(1);
  });

  it('puts exemplars in OpenMetrics and never in Prometheus text', async () => {
    const metrics = registryWithData();
    const open = parseExposition(await metrics.render('openmetrics'));
    expect(open.sawEof).toBe(true);
    const withExemplar = open.samples.filter((s) => s.exemplar);
    expect(withExemplar.map((s) => [s.name, s.labels.le])).toEqual([['demo_seconds_bucket', '0.05']]);
    expect(withExemplar[0]!.exemplar!.labels).toEqual({
      trace_id: spanContext.traceId,
      span_id: spanContext.spanId,
    });
    expect(withExemplar[0]!.exemplar!.value).toBe(0.03);

    const text = await metrics.render('prometheus');
    expect(text).not.toContain('trace_id');
    expect(parseExposition(text).samples.filter((s) => s.exemplar)).toEqual([]);
  });

  it('keeps counter names intact in Prometheus text after an OpenMetrics scrape', async () => {
    const metrics = registryWithData();
    const open = parseExposition(await metrics.render('openmetrics'));
    expect(open.types.get('demo')).toBe('counter');
    expect(valueOf(open, 'demo_total', { kind: 'a' })).toBe(3);
    const prom = parseExposition(await metrics.render('prometheus'));
    expect(prom.types.get('demo_total')).toBe('counter');
    expect(valueOf(prom, 'demo_total', { kind: 'a' })).toBe(3);
  });

  it('serves concurrent scrapes of both formats consistently', async () => {
    const metrics = registryWithData();
    const texts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => metrics.render(i % 2 ? 'openmetrics' : 'prometheus')),
    );
    for (const [i, text] of texts.entries()) {
      const exp = parseExposition(text);
      expect(valueOf(exp, 'demo_total', { kind: 'a' })).toBe(3);
      expect(exp.sawEof).toBe(i % 2 === 1);
    }
  });

  it('accepts the plain observe forms on exemplar-enabled histograms', async () => {
    const metrics = new MetricsRegistry({ service: 'user', defaultMetrics: false });
    const labelled = metrics.histogram({ name: 'a_seconds', help: 'a', labelNames: ['op'] });
    labelled.observe({ op: 'x' }, 0.2);
    labelled.observe({ labels: { op: 'x' }, value: 0.3 });
    metrics.histogram({ name: 'b_seconds', help: 'b', labelNames: [] }).observe(4);
    const exp = parseExposition(await metrics.render('prometheus'));
    expect(valueOf(exp, 'a_seconds_count', { op: 'x' })).toBe(2);
    expect(valueOf(exp, 'a_seconds_sum', { op: 'x' })).toBeCloseTo(0.5);
    expect(valueOf(exp, 'b_seconds_sum')).toBe(4);
  });

  it('returns the same instance for the same name and refuses a different shape', () => {
    const metrics = new MetricsRegistry({ service: 'user', defaultMetrics: false });
    const spec = { name: 'x_total', help: 'x', labelNames: ['a'] } as const;
    expect(metrics.counter(spec)).toBe(metrics.counter(spec));
    expect(() => metrics.counter({ ...spec, labelNames: ['b'] })).toThrow(TypeError);
    expect(() => metrics.gauge(spec)).toThrow(/already exists as a counter/);
  });

  it('drops the series of a disposed collected-gauge source at the next scrape', async () => {
    const metrics = new MetricsRegistry({ service: 'user', defaultMetrics: false });
    const gauge = metrics.collectedGauge({ name: 'g', help: 'g', labelNames: ['name'] });
    let value = 1;
    const a = gauge.add((set) => set({ name: 'a' }, value));
    gauge.add((set) => set({ name: 'b' }, 7));
    value = 5;
    let exp = parseExposition(await metrics.render('prometheus'));
    expect(valueOf(exp, 'g', { name: 'a' })).toBe(5);
    a.dispose();
    exp = parseExposition(await metrics.render('prometheus'));
    expect(samplesOf(exp, 'g').map((s) => [s.labels.name, s.value])).toEqual([['b', 7]]);
  });
});

describe('negotiateFormat', () => {
  it.each([
    [undefined, 'prometheus'],
    ['text/plain', 'prometheus'],
    ['*/*', 'prometheus'],
    ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics'],
    [
      'application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'openmetrics',
    ],
    ['application/openmetrics-text;q=0, text/plain', 'prometheus'],
  ])('answers %s with %s', (accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});
