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
    expect(
      problem('idempotency_key_reused', 'different body', [{ path: 'amountCents', message: 'differs' }]),
    ).toEqual({
      type: 'https://shipshape.dev/problems/idempotency_key_reused',
      title: 'Idempotency-Key reused with a different body',
      status: 422,
      detail: 'different body',
      code: 'idempotency_key_reused',
      errors: [{ path: 'amountCents', message: 'differs' }],
    });
  });
});
