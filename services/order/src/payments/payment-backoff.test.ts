import { describe, expect, it } from 'vitest';
import { TransientPaymentError } from './errors/transient-payment-error.ts';
import { paymentBackoffDelay, paymentBackoffStrategy, paymentBackoffType } from './payment-backoff.ts';

const settings = { backoffMs: 100, backoffMaxMs: 1_000, jitter: 0 };

describe('paymentBackoffDelay', () => {
  it('doubles per attempt from backoffMs', () => {
    expect([1, 2, 3, 4].map((n) => paymentBackoffDelay(n, settings, undefined))).toEqual([
      100, 200, 400, 800,
    ]);
  });

  it('never exceeds backoffMaxMs without an upstream hint', () => {
    expect(paymentBackoffDelay(5, settings, undefined)).toBe(1_000);
    expect(paymentBackoffDelay(500, settings, undefined)).toBe(1_000);
  });

  it('spreads the delay over [d × (1 − jitter), d]', () => {
    const jittered = { ...settings, jitter: 0.5 };
    expect(paymentBackoffDelay(2, jittered, undefined, () => 0)).toBe(200);
    expect(paymentBackoffDelay(2, jittered, undefined, () => 0.999_999)).toBe(100);
  });

  it('waits at least the upstream Retry-After, even past backoffMaxMs', () => {
    expect(paymentBackoffDelay(1, settings, 3_000)).toBe(3_000);
    expect(paymentBackoffDelay(4, settings, 50)).toBe(800);
  });
});

describe('paymentBackoffStrategy', () => {
  it('reads the retry hint of a transient payment error and reports the delay', () => {
    const seen: number[] = [];
    const strategy = paymentBackoffStrategy(
      () => settings,
      (delayMs) => seen.push(delayMs),
    );
    const error = new TransientPaymentError('http_503', 'down', { retryAfterMs: 2_000 });
    expect(strategy(1, paymentBackoffType, error)).toBe(2_000);
    expect(strategy(1, paymentBackoffType, new Error('other'))).toBe(100);
    expect(seen).toEqual([2_000, 100]);
  });

  it('refuses a backoff type it does not own', () => {
    expect(() => paymentBackoffStrategy(() => settings)(1, 'exponential')).toThrow(/unknown backoff type/);
  });
});
