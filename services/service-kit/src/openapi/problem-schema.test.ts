import { describe, expect, it } from 'vitest';
import { createProblemSchema } from './problem-schema.ts';

const schema = createProblemSchema(['not_found', 'rate_limited']);
const valid = {
  type: 'https://shipshape.dev/problems/not_found',
  title: 'Resource not found',
  status: 404,
  detail: 'no such thing',
  code: 'not_found',
};

describe('createProblemSchema', () => {
  it('accepts a problem with one of the codes, with or without field errors', () => {
    expect(schema.safeParse(valid).success).toBe(true);
    expect(schema.safeParse({ ...valid, errors: [{ path: 'a', message: 'b' }] }).success).toBe(true);
  });

  it('rejects a code outside the catalogue and a type that is not a URL', () => {
    expect(schema.safeParse({ ...valid, code: 'email_taken' }).success).toBe(false);
    expect(schema.safeParse({ ...valid, type: 'not a url' }).success).toBe(false);
  });
});
