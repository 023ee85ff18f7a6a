import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessorUnavailableError } from '../errors/processor-unavailable-error.ts';
import { countingProcessor } from './counting-processor.test-helper.ts';
import { ledgerProcessor } from './ledger-processor.ts';

const server = useRedisServer();
let redis: Redis;
beforeAll(() => {
  redis = new Redis(server.url);
});
afterAll(async () => {
  await redis.quit();
});

const request = (key: string) => ({ idempotencyKey: key, orderId: 'o1', amountCents: 100, currency: 'EUR' });

describe('ledgerProcessor', () => {
  it('answers a key it has recorded with the recorded outcome, without charging again', async () => {
    let n = 0;
    const inner = countingProcessor(() =>
      Promise.resolve(n++ === 0 ? { status: 'declined', reason: 'first' } : { status: 'captured' }),
    );
    const processor = ledgerProcessor({ processor: inner, redis });
    const key = crypto.randomUUID();
    expect(await processor.charge(request(key))).toEqual({ status: 'declined', reason: 'first' });
    expect(await processor.charge(request(key))).toEqual({ status: 'declined', reason: 'first' });
    expect(inner.calls).toHaveLength(1);
  });

  it('does not record a transient failure, so a retry charges', async () => {
    let n = 0;
    const inner = countingProcessor(() =>
      n++ === 0 ? Promise.reject(new ProcessorUnavailableError()) : Promise.resolve({ status: 'captured' }),
    );
    const processor = ledgerProcessor({ processor: inner, redis });
    const key = crypto.randomUUID();
    await expect(processor.charge(request(key))).rejects.toThrow(ProcessorUnavailableError);
    expect(await processor.charge(request(key))).toEqual({ status: 'captured' });
    expect(inner.calls).toHaveLength(2);
  });

  it('gives two racing charges of one key the outcome recorded first', async () => {
    let n = 0;
    const inner = countingProcessor(async () => {
      const mine = n++;
      await new Promise((resolve) => setTimeout(resolve, mine === 0 ? 10 : 60));
      return mine === 0 ? { status: 'captured' } : { status: 'declined', reason: 'late' };
    });
    const processor = ledgerProcessor({ processor: inner, redis });
    const key = crypto.randomUUID();
    const outcomes = await Promise.all([processor.charge(request(key)), processor.charge(request(key))]);
    expect(outcomes).toEqual([{ status: 'captured' }, { status: 'captured' }]);
  });

  it('keeps the record for retentionMs', async () => {
    const processor = ledgerProcessor({ processor: countingProcessor(), redis, retentionMs: 60_000 });
    const key = crypto.randomUUID();
    await processor.charge(request(key));
    const ttl = await redis.pttl(`payment:processor:${key}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('rejects a retentionMs that is not a positive integer', () => {
    expect(() => ledgerProcessor({ processor: countingProcessor(), redis, retentionMs: 0 })).toThrow(
      'retentionMs must be a positive integer, got 0',
    );
  });
});
