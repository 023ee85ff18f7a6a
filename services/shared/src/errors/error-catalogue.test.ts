import { describe, expect, it } from 'vitest';
import { defineErrorCatalogue, problemType } from './error-catalogue.ts';

const catalogue = defineErrorCatalogue({
  not_found: { status: 404, title: 'Resource not found' },
  email_taken: { status: 409, title: 'Email already registered' },
  internal_error: { status: 500, title: 'Internal server error' },
});

describe('defineErrorCatalogue', () => {
  it('lists the codes in table order', () => {
    expect(catalogue.codes).toEqual(['not_found', 'email_taken', 'internal_error']);
  });

  it('builds an RFC 9457 problem with a type URI per code', () => {
    expect(catalogue.problem('email_taken', 'already exists', [{ path: 'email', message: 'taken' }])).toEqual(
      {
        type: 'https://shipshape.dev/problems/email_taken',
        title: 'Email already registered',
        status: 409,
        detail: 'already exists',
        code: 'email_taken',
        errors: [{ path: 'email', message: 'taken' }],
      },
    );
  });

  it('omits errors when there are none', () => {
    expect(catalogue.problem('not_found', 'no such thing')).not.toHaveProperty('errors');
  });

  it('appends the code to the problem type base', () => {
    expect(problemType('not_found')).toBe('https://shipshape.dev/problems/not_found');
  });

  it.each([200, 302, 399, 600, 404.5])('rejects status %s with a RangeError naming the code', (status) => {
    expect(() => defineErrorCatalogue({ ok: { status, title: 'x' } })).toThrow(
      new RangeError(`status of error code "ok" must be an integer in [400, 599], got ${status}`),
    );
  });
});
