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
    expect(problem('unknown_user', 'no user u-1', [{ path: 'userId', message: 'unknown' }])).toEqual({
      type: 'https://shipshape.dev/problems/unknown_user',
      title: 'Unknown user',
      status: 422,
      detail: 'no user u-1',
      code: 'unknown_user',
      errors: [{ path: 'userId', message: 'unknown' }],
    });
  });
});
