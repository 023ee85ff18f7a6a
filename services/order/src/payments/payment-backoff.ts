import { isTransientPaymentError } from './errors/transient-payment-error.ts';

/** The BullMQ backoff type of payment jobs: `{ backoff: { type: paymentBackoffType } }`. */
export const paymentBackoffType = 'payment';

/** The `worker.*` keys the backoff reads, on every retry (so a runtime change applies at once). */
export interface PaymentBackoffSettings {
  /** Delay before the first retry, in ms; doubles per attempt. */
  readonly backoffMs: number;
  /** Longest backoff, in ms. */
  readonly backoffMaxMs: number;
  /** Random share of each delay, 0..1. */
  readonly jitter: number;
}

/**
 * The delay before retry number `attemptsMade` (1 after the first failure), in ms: exponential
 * (`backoffMs × 2^(attemptsMade − 1)`, at most `backoffMaxMs`) with jitter (uniform in
 * `[d × (1 − jitter), d]`), and never shorter than the upstream's `retryAfterMs` (which may exceed
 * `backoffMaxMs`: the payment service knows best when it can take the charge).
 */
export function paymentBackoffDelay(
  attemptsMade: number,
  settings: PaymentBackoffSettings,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attemptsMade - 1);
  const capped = Math.min(settings.backoffMaxMs, settings.backoffMs * 2 ** Math.min(exponent, 52));
  const jittered = Math.round(capped * (1 - settings.jitter * random()));
  return Math.max(jittered, Math.ceil(retryAfterMs ?? 0));
}

/**
 * A BullMQ custom backoff strategy (`new Worker(…, { settings: { backoffStrategy } })`) for
 * {@link paymentBackoffType}: {@link paymentBackoffDelay} with the upstream hint of a
 * {@link TransientPaymentError}. `onDelay` sees every computed delay (logs, tests).
 */
export function paymentBackoffStrategy(
  settings: () => PaymentBackoffSettings,
  onDelay?: (delayMs: number, attemptsMade: number, error: unknown) => void,
): (attemptsMade: number, type?: string, error?: Error) => number {
  return (attemptsMade, type, error) => {
    if (type !== paymentBackoffType) throw new Error(`unknown backoff type "${type}"`);
    const hint = isTransientPaymentError(error) ? error.retryAfterMs : undefined;
    const delayMs = paymentBackoffDelay(attemptsMade, settings(), hint);
    onDelay?.(delayMs, attemptsMade, error);
    return delayMs;
  };
}
