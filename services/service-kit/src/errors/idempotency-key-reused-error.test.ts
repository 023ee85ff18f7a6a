import { describe, expect, it } from 'vitest';
import { IdempotencyKeyReusedError, isIdempotencyKeyReusedError } from './idempotency-key-reused-error.ts';

describe('IdempotencyKeyReusedError', () => {
  it('carries the code, the name, the key and a message naming the key', () => {
    const error = new IdempotencyKeyReusedError('checkout-1');
    expect(error).toMatchObject({
      code: 'idempotency_key_reused',
      name: 'IdempotencyKeyReusedError',
      idempotencyKey: 'checkout-1',
      message: 'Idempotency-Key "checkout-1" was already used with a different request body',
    });
  });

  it('is recognised by its guard, and other errors are not', () => {
    expect(isIdempotencyKeyReusedError(new IdempotencyKeyReusedError('k'))).toBe(true);
    expect(isIdempotencyKeyReusedError(new Error('Idempotency-Key "k" was already used'))).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('root');
    expect(new IdempotencyKeyReusedError('k', { cause }).cause).toBe(cause);
  });
});
