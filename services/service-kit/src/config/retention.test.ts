import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { dayMs, idempotencyKeyWithin, retentionMs } from './retention.ts';

const within = idempotencyKeyWithin('recordMs');
const schema = z
  .object({ recordMs: retentionMs(7 * dayMs), idempotencyKeyMs: retentionMs(dayMs) })
  .refine(within.check, within.params);

describe('retention settings', () => {
  it('defaults to what the field says and accepts 0 as forever for both', () => {
    expect(schema.parse({})).toEqual({ recordMs: 7 * dayMs, idempotencyKeyMs: dayMs });
    expect(schema.parse({ recordMs: 0, idempotencyKeyMs: 0 })).toEqual({ recordMs: 0, idempotencyKeyMs: 0 });
  });

  it.each([[{ recordMs: 1_000, idempotencyKeyMs: 2_000 }], [{ recordMs: 1_000, idempotencyKeyMs: 0 }]])(
    'refuses an Idempotency-Key that would outlive its record: %o',
    (values) => {
      const result = schema.safeParse(values);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({
        path: ['idempotencyKeyMs'],
        message: 'must be in (0, retention.recordMs] so an Idempotency-Key never outlives what it points at',
      });
    },
  );

  it('refuses a negative or fractional retention', () => {
    expect(schema.safeParse({ recordMs: -1 }).success).toBe(false);
    expect(schema.safeParse({ recordMs: 1.5 }).success).toBe(false);
  });
});
