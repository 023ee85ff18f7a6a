import { describe, expect, it } from 'vitest';
import { evaluateStatusCheck, parseStatusCheck } from './status-check.ts';

const result = { completed: 1000, statuses: { '200': 400, '202': 300, '429': 250, '503': 40, error: 10 } };

describe('parseStatusCheck', () => {
  it('reads statuses, classes and error, and a percentage with or without %', () => {
    expect(parseStatusCheck('429, 5XX,error', '1.5%')).toEqual({
      statuses: ['429', '5xx', 'error'],
      maxShare: 0.015,
    });
    expect(parseStatusCheck('429', undefined)).toEqual({ statuses: ['429'], maxShare: 0 });
  });

  it('names the flag and the bad value', () => {
    expect(() => parseStatusCheck('429,teapot', undefined)).toThrow(
      '--fail-on-status must list statuses like 429, 5xx or error, got "teapot"',
    );
    expect(() => parseStatusCheck('', undefined)).toThrow('got ""');
    expect(() => parseStatusCheck('429', '101')).toThrow(
      '--fail-threshold must be a percentage in [0, 100], got "101"',
    );
  });
});

describe('evaluateStatusCheck', () => {
  it('fails on a single listed status by default', () => {
    const outcome = evaluateStatusCheck(parseStatusCheck('5xx', undefined), result);
    expect(outcome).toMatchObject({ failed: true, matched: 40, counts: [['503', 40]] });
    expect(outcome.line).toBe(
      'load: FAILED --fail-on-status 5xx, at most 0.0%: 40 of 1000 responses (4.0%) had a listed status (503:40)',
    );
  });

  it('adds up every listed status and class, transport failures included', () => {
    const outcome = evaluateStatusCheck(parseStatusCheck('429,5xx,error', '30'), result);
    expect(outcome).toMatchObject({ failed: false, matched: 300 });
    expect(outcome.line).toBe(
      'load: passed --fail-on-status 429,5xx,error, at most 30.0%: 300 of 1000 responses (30.0%) had a listed status',
    );
    expect(evaluateStatusCheck(parseStatusCheck('429,5xx,error', '29.9'), result).failed).toBe(true);
  });

  it('passes a run without any listed status', () => {
    expect(
      evaluateStatusCheck(parseStatusCheck('4xx', undefined), { completed: 10, statuses: { '200': 10 } }),
    ).toMatchObject({ failed: false, matched: 0, counts: [] });
  });
});
