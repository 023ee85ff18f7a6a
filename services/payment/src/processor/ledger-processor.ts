import type { RedisClient } from '@shipshape/service-kit';
import { keys } from '../storage/keys.ts';
import type { ChargeOutcome, PaymentProcessor } from './payment-processor.ts';

/** Options of {@link ledgerProcessor}. */
export interface LedgerProcessorOptions {
  /** Decides the outcome of a charge the ledger has not seen (the simulated processor). */
  processor: PaymentProcessor;
  /** Where the ledger lives (the service's store; one key per charge, so any slot of a cluster). */
  redis: RedisClient;
  /**
   * How long the ledger remembers a charge, in ms (a real processor keeps idempotency keys for
   * about a day).
   * @default 86_400_000
   */
  retentionMs?: number;
}

/**
 * The processor's own book, keyed by the charge's `idempotencyKey`, as real processors keep one
 * (Stripe, Adyen): a charge with a key the ledger already holds answers the recorded outcome and
 * takes no money again. The outcome is recorded with `SET NX` in the same step that makes it
 * final, so a payment replica SIGKILLed after the processor captured but before the payment was
 * stored cannot cause a second capture: the retry that claims the key after the lease lapsed gets
 * the first outcome back. Transient failures are not recorded (nothing was charged).
 */
export function ledgerProcessor(options: LedgerProcessorOptions): PaymentProcessor {
  const { processor, redis, retentionMs = 86_400_000 } = options;
  if (!Number.isInteger(retentionMs) || retentionMs < 1)
    throw new RangeError(`retentionMs must be a positive integer, got ${retentionMs}`);
  return {
    async charge(request, signal) {
      const key = keys.processorLedger(request.idempotencyKey);
      const recorded = await redis.get(key);
      if (recorded !== null) return JSON.parse(recorded) as ChargeOutcome;
      const outcome = await processor.charge(request, signal);
      // SET NX ... GET answers the value already there (another claimant's outcome) or null.
      const earlier = await redis.set(key, JSON.stringify(outcome), 'PX', retentionMs, 'NX', 'GET');
      return earlier === null ? outcome : (JSON.parse(earlier) as ChargeOutcome);
    },
  };
}
