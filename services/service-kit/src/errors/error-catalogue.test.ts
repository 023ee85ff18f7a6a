import { describe, expect, it } from 'vitest';
import { defineErrorCatalogue, problemType } from './error-catalogue.ts';

const catalogue = defineErrorCatalogue({
  gone: { status: 410, title: 'Gone for good' },
  teapot: { status: 418, title: 'I am a teapot' },
  overloaded: { status: 503, title: 'Try later' },
});

describe('defineErrorCatalogue', () => {
  it('lists the codes in table order', () => {
    expect(catalogue.codes).toEqual(['gone', 'teapot', 'overloaded']);
  });

  it('builds an RFC 9457 problem with a type URI per code', () => {
    const errors = [{ path: 'spout', message: 'too short' }];
    expect(catalogue.problem('teapot', 'cannot brew coffee', errors)).toEqual({
      type: 'https://shipshape.dev/problems/teapot',
      title: 'I am a teapot',
      status: 418,
      detail: 'cannot brew coffee',
      code: 'teapot',
      errors,
    });
  });

  it('omits errors when there are none', () => {
    expect(catalogue.problem('gone', 'deleted')).not.toHaveProperty('errors');
  });

  it('appends the code to the problem type base', () => {
    expect(problemType('gone')).toBe('https://shipshape.dev/problems/gone');
  });

  it.each([200, 302, 399, 600, 404.5])('rejects status %s with a RangeError naming the code', (status) => {
    expect(() => defineErrorCatalogue({ ok: { status, title: 'x' } })).toThrow(
      new RangeError(`status of error code "ok" must be an integer in [400, 599], got ${status}`),
    );
  });
});
