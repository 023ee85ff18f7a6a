import { describe, expect, it } from 'vitest';
import { idempotencyKeySchema, idSchema } from './ids.ts';

describe('idSchema', () => {
  it.each(['..', 'a/b', '%2F', ' a', 'a\u0000', 'x'.repeat(65), ''])('rejects the id %j', (id) => {
    expect(idSchema.safeParse(id).success).toBe(false);
  });

  it.each(['0192f0c5-5b7e-7c3a-9a51-3f1f0e0c9b2d', 'a', 'A_b-9', 'x'.repeat(64)])(
    'accepts the id %j',
    (id) => {
      expect(idSchema.safeParse(id).success).toBe(true);
    },
  );
});

describe('idempotencyKeySchema', () => {
  it.each(['a b', 'a\nb', '', 'x'.repeat(129), 'ключ', 'a/b'])('rejects the key %j', (key) => {
    expect(idempotencyKeySchema.safeParse(key).success).toBe(false);
  });

  it.each(['0192f0c5-5b7e-7c3a-9a51-3f1f0e0c9b2d', 'checkout:7f3a', 'a.b_c-d', 'x'.repeat(128)])(
    'accepts the key %j',
    (key) => {
      expect(idempotencyKeySchema.safeParse(key).success).toBe(true);
    },
  );
});
