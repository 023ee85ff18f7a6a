import { describe, expect, it } from 'vitest';
import { carriesTraceContext } from './carries-trace-context.ts';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('carriesTraceContext', () => {
  it.each([
    [['content-type', 'application/json', 'traceparent', traceparent], true],
    [['Traceparent', traceparent], true],
    [['content-type', 'application/json'], false],
    [['x-traceparent-copy', traceparent], false],
    [`host: a\r\ntraceparent: ${traceparent}\r\n`, true],
    [`TRACEPARENT: ${traceparent}\r\n`, true],
    ['host: a\r\nx-traceparent: b\r\n', false],
    [undefined, false],
  ])('answers %j → %s', (headers, expected) => {
    expect(carriesTraceContext(headers)).toBe(expected);
  });
});
