import { describe, expect, it } from 'vitest';
import { createUserBodySchema, idSchema, listUsersQuerySchema, normalizeEmail } from './schemas.ts';

describe('createUserBodySchema', () => {
  it('accepts a valid body, trims the name and keeps the email as given', () => {
    expect(createUserBodySchema.parse({ email: 'Ada@Example.com', name: '  Ada  ' })).toEqual({
      email: 'Ada@Example.com',
      name: 'Ada',
    });
  });

  it('lists every problem of a body at once', () => {
    const result = createUserBodySchema.safeParse({ email: 42, extra: true });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.code])).toEqual([
      ['email', 'invalid_type'],
      ['name', 'invalid_type'],
      ['', 'unrecognized_keys'],
    ]);
  });

  it.each([
    ['a name of only spaces', { email: 'a@example.com', name: '   ' }],
    ['a name with a control character', { email: 'a@example.com', name: 'Ada\u0000' }],
    ['a name with a C1 control character', { email: 'a@example.com', name: 'Ada\u0085x' }],
    ['a name over 100 characters', { email: 'a@example.com', name: 'x'.repeat(101) }],
    ['an email without a domain', { email: 'ada@', name: 'Ada' }],
    ['an email with a newline', { email: 'ada@example.com\n', name: 'Ada' }],
    ['an email over 254 characters', { email: `${'a'.repeat(250)}@example.com`, name: 'Ada' }],
  ])('rejects %s', (_label, body) => {
    expect(createUserBodySchema.safeParse(body).success).toBe(false);
  });

  it('accepts unicode letters in names', () => {
    expect(createUserBodySchema.safeParse({ email: 'z@example.com', name: 'Zoë 山田 🚀' }).success).toBe(
      true,
    );
  });
});

describe('normalizeEmail', () => {
  it('lower-cases so emails differing only in case collide', () => {
    expect(normalizeEmail('Ada@Example.COM')).toBe(normalizeEmail('ada@example.com'));
  });
});

describe('idSchema', () => {
  it.each(['../etc/passwd', 'a/b', '%2e%2e', 'a b', 'a\u0000', '', 'x'.repeat(65), 'ab.cd'])(
    'rejects %j',
    (id) => {
      expect(idSchema.safeParse(id).success).toBe(false);
    },
  );

  it('accepts a UUID', () => {
    expect(idSchema.safeParse('0192f0c5-5b7e-7c3a-9a51-3f1f0e0c9b2d').success).toBe(true);
  });
});

describe('listUsersQuerySchema', () => {
  it('parses a numeric limit', () => {
    expect(listUsersQuerySchema.parse({ limit: '5', cursor: 'abc' })).toEqual({ limit: 5, cursor: 'abc' });
  });

  it('defaults an absent limit to 20', () => {
    expect(listUsersQuerySchema.parse({})).toEqual({ limit: 20 });
  });

  it.each(['0', '101', '1e1', '0x10', '-1', '2.5', ''])('rejects limit %j', (limit) => {
    expect(listUsersQuerySchema.safeParse({ limit }).success).toBe(false);
  });

  it('rejects a cursor with characters outside base64url', () => {
    expect(listUsersQuerySchema.safeParse({ cursor: 'a/b+c=' }).success).toBe(false);
  });
});
