import { MemoryRateLimiter } from '@shipshape/resilience';
import { describe, expect, it } from 'vitest';
import { isProcessorUnavailableError } from '../errors/processor-unavailable-error.ts';
import { countingProcessor } from './counting-processor.test-helper.ts';
import { quotaLimitedProcessor, type ProcessorQuotaSettings } from './quota-limited-processor.ts';

const request = { idempotencyKey: 'k', orderId: 'o1', amountCents: 100, currency: 'EUR' };

/** A counting processor behind a 1-per-minute quota (or `getQuota`'s) on an in-memory limiter. */
function setup(getQuota: () => ProcessorQuotaSettings = () => ({ limit: 1, windowMs: 60_000 })) {
  const processor = countingProcessor();
  const limiter = new MemoryRateLimiter({ name: 'q', algorithm: 'fixed-window', limit: 1, windowMs: 60_000 });
  return { processor, limiter, limited: quotaLimitedProcessor({ processor, limiter, getQuota }) };
}

describe('quotaLimitedProcessor', () => {
  it('sends a charge within the quota to the processor', async () => {
    const { processor, limited } = setup();
    expect(await limited.charge(request)).toEqual({ status: 'captured' });
    expect(processor.calls).toHaveLength(1);
  });

  it('fails a charge over the quota transiently with the limiter retryAfterMs, without calling the processor', async () => {
    const { processor, limited } = setup();
    await limited.charge(request);
    const error: unknown = await limited.charge(request).catch((e: unknown) => e);
    expect(isProcessorUnavailableError(error)).toBe(true);
    const { retryAfterMs } = error as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(processor.calls).toHaveLength(1);
  });

  it('applies a changed quota on the next charge', async () => {
    let quota: ProcessorQuotaSettings = { limit: 1, windowMs: 60_000 };
    const { processor, limiter, limited } = setup(() => quota);
    await limited.charge(request);
    await expect(limited.charge(request)).rejects.toThrow(/quota/);
    quota = { limit: 3, windowMs: 60_000 };
    expect(await limited.charge(request)).toEqual({ status: 'captured' });
    expect(limiter.limit).toBe(3);
    expect(processor.calls).toHaveLength(2);
  });
});
