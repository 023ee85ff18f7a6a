import { describe, expect, it } from 'vitest';
import { labelsMatch, maxSample, parsePrometheusText, sumSamples } from './prometheus-text.ts';

const text = `# HELP resilience_circuit_breaker_state Breaker state, one-hot.
# TYPE resilience_circuit_breaker_state gauge
resilience_circuit_breaker_state{service="order",name="payment/127.0.0.1:4003",state="open"} 1
resilience_circuit_breaker_state{service="order",name="payment/127.0.0.1:4003",state="closed"} 0
resilience_circuit_breaker_state{service="order",name="payment/127.0.0.1:5003",state="open"} 1
resilience_circuit_breaker_state{service="order",name="user/127.0.0.1:4001",state="open"} 1
http_client_request_duration_seconds_bucket{service="order",peer_service="payment",le="+Inf"} 12
http_client_request_duration_seconds_count{service="order",peer_service="payment"} 12 # {trace_id="abc"} 0.1 1700000000
weird{service="x",detail="a \\"quoted\\", comma\\nline"} 3.5
process_start_time_seconds 1700000000
`;

describe('parsePrometheusText', () => {
  it('parses names, labels and values, skipping comments and exemplars', () => {
    const samples = parsePrometheusText(text);
    expect(samples).toHaveLength(8);
    expect(samples[0]).toEqual({
      name: 'resilience_circuit_breaker_state',
      labels: { service: 'order', name: 'payment/127.0.0.1:4003', state: 'open' },
      value: 1,
    });
    expect(samples.find((s) => s.name.endsWith('_bucket'))?.labels['le']).toBe('+Inf');
    expect(samples.find((s) => s.name.endsWith('_count'))?.value).toBe(12);
    expect(samples.find((s) => s.name === 'process_start_time_seconds')).toEqual({
      name: 'process_start_time_seconds',
      labels: {},
      value: 1_700_000_000,
    });
  });

  it('unescapes quotes, backslashes and newlines in label values', () => {
    const weird = parsePrometheusText(text).find((s) => s.name === 'weird');
    expect(weird?.labels['detail']).toBe('a "quoted", comma\nline');
    expect(weird?.value).toBe(3.5);
  });

  it('sums and maxes the series whose labels match strings and patterns', () => {
    const samples = parsePrometheusText(text);
    const payment = { name: /^payment\//, state: 'open' };
    expect(sumSamples(samples, 'resilience_circuit_breaker_state', payment)).toBe(2);
    expect(sumSamples(samples, 'resilience_circuit_breaker_state', { state: 'half_open' })).toBe(0);
    expect(maxSample(samples, 'resilience_circuit_breaker_state', { name: /^user/ })).toBe(1);
    expect(maxSample(samples, 'no_such_metric')).toBeUndefined();
  });

  it('treats a missing label as the empty string', () => {
    expect(labelsMatch({ a: 'x' }, { b: '' })).toBe(true);
    expect(labelsMatch({ a: 'x' }, { b: 'y' })).toBe(false);
    expect(labelsMatch({ a: 'x' }, { a: (v) => v.length === 1 })).toBe(true);
  });
});
