import { causedByInjectedFault } from '@shipshape/service-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isProcessorUnavailableError } from '../errors/processor-unavailable-error.ts';
import { createSimulatedProcessor, type ChaosSettings } from './simulated-processor.ts';

const request = { idempotencyKey: 'k', orderId: 'o1', amountCents: 100, currency: 'EUR' };
const calm: ChaosSettings = { errorRate: 0, latencyMs: 0, declineRate: 0 };

/** A random source that returns the given numbers in turn. */
const sequence = (...values: number[]): (() => number) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

afterEach(() => {
  vi.useRealTimers();
});

describe('createSimulatedProcessor', () => {
  it('captures when neither the error nor the decline draw hits', async () => {
    const processor = createSimulatedProcessor({
      getChaos: () => ({ ...calm, errorRate: 0.5, declineRate: 0.5 }),
      random: sequence(0.6, 0.6),
    });
    expect(await processor.charge(request)).toEqual({ status: 'captured' });
  });

  it('declines when the decline draw is below declineRate', async () => {
    const processor = createSimulatedProcessor({
      getChaos: () => ({ ...calm, errorRate: 0.5, declineRate: 0.5 }),
      random: sequence(0.6, 0.4),
    });
    expect(await processor.charge(request)).toEqual({ status: 'declined', reason: 'simulated decline' });
  });

  it('fails transiently with ProcessorUnavailableError when the error draw is below errorRate', async () => {
    const processor = createSimulatedProcessor({
      getChaos: () => ({ ...calm, errorRate: 0.5 }),
      random: sequence(0.4),
    });
    const error: unknown = await processor.charge(request).catch((e: unknown) => e);
    expect(isProcessorUnavailableError(error)).toBe(true);
    // An expected outcome: the service logs it at info, without a stack.
    expect(causedByInjectedFault(error)).toBe(true);
  });

  it('reads the chaos settings again for every charge', async () => {
    let chaos = calm;
    const processor = createSimulatedProcessor({ getChaos: () => chaos, random: sequence(0.5) });
    expect(await processor.charge(request)).toEqual({ status: 'captured' });
    chaos = { ...calm, declineRate: 1 };
    expect(await processor.charge(request)).toMatchObject({ status: 'declined' });
  });

  it('waits latencyMs before answering', async () => {
    vi.useFakeTimers();
    const processor = createSimulatedProcessor({ getChaos: () => ({ ...calm, latencyMs: 1000 }) });
    let settled = false;
    const charging = processor.charge(request).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await charging;
    expect(settled).toBe(true);
  });

  it('stops waiting when the signal aborts', async () => {
    vi.useFakeTimers();
    const processor = createSimulatedProcessor({ getChaos: () => ({ ...calm, latencyMs: 60_000 }) });
    const controller = new AbortController();
    const charging = processor.charge(request, controller.signal).catch((e: unknown) => e);
    controller.abort(new Error('deadline'));
    expect(await charging).toMatchObject({ message: 'deadline' });
  });

  it.each([
    [{ ...calm, errorRate: 1.5 }, /chaos.errorRate must be in \[0, 1\], got 1.5/],
    [{ ...calm, declineRate: -0.1 }, /chaos.declineRate must be in \[0, 1\], got -0.1/],
    [{ ...calm, latencyMs: Number.NaN }, /chaos.latencyMs must be .* got NaN/],
  ])('rejects out-of-range chaos settings %o with a RangeError naming them', async (chaos, message) => {
    const processor = createSimulatedProcessor({ getChaos: () => chaos });
    await expect(processor.charge(request)).rejects.toThrow(message);
  });
});
