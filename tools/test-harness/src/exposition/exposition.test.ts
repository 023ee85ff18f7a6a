import { describe, expect, it } from 'vitest';
import {
  labelsMatch,
  maxSample,
  parseExposition,
  sampleNames,
  samplesOf,
  sumSamples,
  valueOf,
} from './index.ts';

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

describe('parseExposition', () => {
  it('parses names, labels and values, and keeps TYPE and HELP by family', () => {
    const exposition = parseExposition(text);
    const { samples } = exposition;
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
    expect(exposition.types.get('resilience_circuit_breaker_state')).toBe('gauge');
    expect(exposition.help.get('resilience_circuit_breaker_state')).toBe('Breaker state, one-hot.');
    expect(exposition.sawEof).toBe(false);
  });

  it('reads an exemplar with its labels, value and timestamp', () => {
    const count = parseExposition(text).samples.find((s) => s.name.endsWith('_count'));
    expect(count?.exemplar).toEqual({ labels: { trace_id: 'abc' }, value: 0.1, timestamp: 1_700_000_000 });
  });

  it('unescapes quotes, backslashes and newlines in label values', () => {
    const weird = parseExposition(text).samples.find((s) => s.name === 'weird');
    expect(weird?.labels['detail']).toBe('a "quoted", comma\nline');
    expect(weird?.value).toBe(3.5);
  });

  it('reads +Inf, -Inf and NaN as numbers', () => {
    const values = parseExposition('a +Inf\nb -Inf\nc NaN\n').samples.map((s) => s.value);
    expect(values).toEqual([Infinity, -Infinity, NaN]);
  });

  it('notes # EOF and rejects content after it', () => {
    expect(parseExposition('a 1\n# EOF\n').sawEof).toBe(true);
    expect(() => parseExposition('# EOF\na 1\n')).toThrow('content after # EOF: a 1');
  });

  it.each([
    ['an unknown comment', '# whatever\n', 'unknown comment line'],
    ['a value that is not a number', 'a{b="c"} x\n', 'bad number x'],
    ['a missing value', 'a{b="c"}\n', 'bad number'],
    ['a duplicate label', 'a{b="c",b="d"} 1\n', 'duplicate label b'],
    ['an unterminated label value', 'a{b="c} 1\n', 'unterminated label value'],
    ['a line that is not a sample', '{b="c"} 1\n', 'bad sample line'],
  ])('throws on %s', (_what, input, message) => {
    expect(() => parseExposition(input)).toThrow(message);
  });
});

describe('selecting samples', () => {
  it('sums and maxes the series whose labels match strings and patterns', () => {
    const samples = parseExposition(text).samples;
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

  it('valueOf answers the one matching sample and throws on none or several', () => {
    const exposition = parseExposition(text);
    expect(valueOf(exposition, 'resilience_circuit_breaker_state', { name: /^user/ })).toBe(1);
    expect(() => valueOf(exposition, 'resilience_circuit_breaker_state', { state: 'open' })).toThrow(
      'found 3',
    );
    expect(() => valueOf(exposition, 'no_such_metric')).toThrow('found 0');
  });

  it('matches names exactly and lists the series names', () => {
    const exposition = parseExposition(text);
    expect(samplesOf(exposition, 'http_client_request_duration_seconds')).toEqual([]);
    expect(sampleNames(exposition)).toEqual(
      new Set([
        'resilience_circuit_breaker_state',
        'http_client_request_duration_seconds_bucket',
        'http_client_request_duration_seconds_count',
        'weird',
        'process_start_time_seconds',
      ]),
    );
  });
});
