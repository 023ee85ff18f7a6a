import { expectErrorTableMatches } from '@shipshape/service-kit/testing';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, problem } from './errors.ts';

describe('error catalogue', () => {
  it('documents every code with its status in the README table, and nothing else', () => {
    expectErrorTableMatches(new URL('../README.md', import.meta.url), errorCatalogue);
  });

  it('answers 504 only as deadline_exceeded, which the availability SLO rules leave out', () => {
    const gatewayTimeouts = Object.entries(errorCatalogue).filter(([, entry]) => entry.status === 504);
    expect(gatewayTimeouts.map(([code]) => code)).toEqual(['deadline_exceeded']);
  });

  it('builds the problem document of a service-specific code from its catalogue entry', () => {
    expect(problem('email_taken', 'already exists', [{ path: 'email', message: 'taken' }])).toEqual({
      type: 'https://shipshape.dev/problems/email_taken',
      title: 'Email already registered',
      status: 409,
      detail: 'already exists',
      code: 'email_taken',
      errors: [{ path: 'email', message: 'taken' }],
    });
  });
});
