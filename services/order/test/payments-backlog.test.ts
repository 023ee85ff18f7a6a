import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import { scriptedProcessor, usePaymentService, usePipeline } from './payments-harness.ts';

const redis = useRedisServer();
const startPayment = usePaymentService(() => redis.url);
const startPipeline = usePipeline(() => redis.url);

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('payment backlog (backpressure)', () => {
  it('turns behind when the oldest waiting order outgrows the bound, sheds intake, and recovers once paid', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const processor = scriptedProcessor();
    processor.script({ hold: held, then: 'capture' }, 'capture');
    const payment = await startPayment(processor);
    const p = await startPipeline(
      payment.url,
      { concurrency: 1 },
      {},
      { backpressure: { maxPaidLagMs: 300, checkIntervalMs: 100, shed: true, retryAfterMs: 2_000 } },
    );
    const { backlog } = p.pipeline;
    expect(backlog.status()).toMatchObject({ behind: false, shedding: false, maxPaidLagMs: 300 });
    expect(backlog.shedIntake()).toBeUndefined();

    // One charge hangs at payment, with concurrency 1 the others wait behind it.
    const ids = [await p.createOrder(), await p.createOrder(), await p.createOrder()];
    await until(() => backlog.status().behind);
    expect(backlog.status().backlogAgeMs).toBeGreaterThan(300);
    expect(backlog.status().shedding).toBe(true);
    expect(backlog.shedIntake()).toBe(2_000);
    expect(await p.metric('order_intake_shed_total', {})).toBe(1);
    expect(await p.metric('order_payment_backlog_age_seconds', {})).toBeGreaterThan(0.3);
    expect(await p.metric('order_payment_backlog_max_age_seconds', {})).toBe(0.3);

    release();
    for (const id of ids) expect(await p.waitForStatus(id)).toBe('paid');
    await until(() => !backlog.status().behind);
    expect(backlog.status()).toMatchObject({ backlogAgeMs: 0, shedding: false });
    expect(backlog.shedIntake()).toBeUndefined();
    // One paid-lag observation per paid order; the held one waited at least the bound.
    expect(await p.metric('order_paid_lag_seconds_count', {})).toBe(3);
    expect(await p.metric('order_paid_lag_seconds_bucket', { le: '0.25' })).toBeLessThan(3);
  });

  it('reports behind but never sheds with backpressure.shed off (the default)', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const processor = scriptedProcessor();
    processor.script({ hold: held, then: 'capture' }, 'capture');
    const payment = await startPayment(processor);
    const p = await startPipeline(
      payment.url,
      { concurrency: 1 },
      {},
      { backpressure: { maxPaidLagMs: 200, checkIntervalMs: 100 } },
    );
    const id = await p.createOrder();
    await until(() => p.pipeline.backlog.status().behind);
    expect(p.pipeline.backlog.status().shedding).toBe(false);
    expect(p.pipeline.backlog.shedIntake()).toBeUndefined();
    expect(await p.metric('order_intake_shed_total', {})).toBe(0);
    release();
    expect(await p.waitForStatus(id)).toBe('paid');
  });
});
