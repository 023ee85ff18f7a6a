import { HttpProblem, toHttpProblem } from '@shipshape/observability/http';
import { describe, expect, it } from 'vitest';
import { InjectedFaultError } from '../errors/injected-fault-error.ts';
import { catalogueProblems } from './catalogue-problems.ts';
import { outcomeLogLevel } from './outcome-log-level.ts';

const { injectedFault, withinCatalogue, catalogueProblem } = catalogueProblems({
  validation_failed: { status: 400, title: 'Request validation failed' },
  internal_error: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
});

describe('outcomeLogLevel', () => {
  it('logs an injected fault at info, whether thrown as the problem or as the cause of another error', () => {
    const fault = injectedFault();
    expect(outcomeLogLevel(fault, fault)).toBe('info');
    const processorFailure = new Error('simulated processor failure', {
      cause: new InjectedFaultError('chaos.errorRate'),
    });
    const answered = new HttpProblem({ status: 503, code: 'processor_unavailable', cause: processorFailure });
    expect(outcomeLogLevel(answered, processorFailure)).toBe('info');
  });

  it('logs an unplanned failure (internal_error) at error, with its stack', () => {
    const crash = new TypeError('x is undefined');
    expect(outcomeLogLevel(toHttpProblem(crash), crash)).toBe('error');
    const odd = new HttpProblem({ status: 502, code: 'bad_gateway' });
    expect(outcomeLogLevel(withinCatalogue(odd)!, odd)).toBe('error');
  });

  it('logs a catalogued 5xx (store or upstream unavailable) and a 4xx at warn', () => {
    const redisDown = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), {
      code: 'ECONNREFUSED',
    });
    expect(outcomeLogLevel(withinCatalogue(redisDown)!, redisDown)).toBe('warn');
    const upstream = new HttpProblem({ status: 503, code: 'upstream_unavailable' });
    expect(outcomeLogLevel(upstream, upstream)).toBe('warn');
    const invalid = catalogueProblem('validation_failed', 'bad');
    expect(outcomeLogLevel(invalid, invalid)).toBe('warn');
  });

  it("logs a 504 deadline_exceeded at warn: the caller's own deadline ran out", () => {
    const expired = new HttpProblem({ status: 504, code: 'deadline_exceeded' });
    expect(outcomeLogLevel(expired, expired)).toBe('warn');
  });
});
