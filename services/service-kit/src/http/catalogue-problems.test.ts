import { HttpProblem } from '@shipshape/observability/http';
import { describe, expect, it } from 'vitest';
import { isInjectedFaultError } from '../errors/injected-fault-error.ts';
import { catalogueProblems } from './catalogue-problems.ts';

const catalogue = {
  validation_failed: { status: 400, title: 'Request validation failed' },
  internal_error: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const;

const serverError = (status: number): HttpProblem =>
  new HttpProblem({ status, code: 'upstream_odd', title: 'Odd', detail: 'internal detail' });

describe('catalogueProblems', () => {
  it('builds a problem with the catalogue status and title', () => {
    const { catalogueProblem } = catalogueProblems(catalogue);
    const problem = catalogueProblem('service_unavailable', 'later', { headers: { 'Retry-After': '1' } });
    expect(problem.status).toBe(503);
    expect(problem.code).toBe('service_unavailable');
    expect(problem.title).toBe('Service unavailable');
  });

  it('answers an injected fault 503 service_unavailable with Retry-After: 1', () => {
    const problem = catalogueProblems(catalogue).injectedFault();
    expect(problem.status).toBe(503);
    expect(problem.code).toBe('service_unavailable');
    expect(problem.message).toBe('Injected fault (chaos.errorRate).');
    expect(problem.headers).toEqual({ 'Retry-After': '1' });
    expect(isInjectedFaultError(problem.cause)).toBe(true);
  });

  it('leaves answers that are already catalogue codes to the built-in mapping', () => {
    const { withinCatalogue } = catalogueProblems(catalogue);
    expect(
      withinCatalogue(new HttpProblem({ status: 400, code: 'validation_failed', title: 't', detail: 'd' })),
    ).toBeUndefined();
  });

  it('gives an unknown 5xx the catalogue code of its status by default, hiding the detail', () => {
    const problem = catalogueProblems(catalogue).withinCatalogue(serverError(503))!;
    expect(problem.code).toBe('service_unavailable');
    expect(problem.message).toBe('An unexpected error occurred.');
  });

  it("answers every unknown 5xx with internal_error under the 'internal_error' rule", () => {
    const problem = catalogueProblems(catalogue, 'internal_error').withinCatalogue(serverError(503))!;
    expect(problem.code).toBe('internal_error');
    expect(problem.status).toBe(500);
  });

  it('gives an unknown 4xx without a same-status code validation_failed, keeping its message', () => {
    const problem = catalogueProblems(catalogue).withinCatalogue(
      new HttpProblem({ status: 422, code: 'odd_input', title: 't', detail: 'bad field' }),
    )!;
    expect(problem.code).toBe('validation_failed');
    expect(problem.message).toBe('bad field');
  });
});
