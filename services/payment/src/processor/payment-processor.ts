/** What the payment service asks a processor to charge. */
export interface ChargeRequest {
  /** Passed through so a real processor can deduplicate on its side too. */
  readonly idempotencyKey: string;
  readonly orderId: string;
  /** Integer minor units. */
  readonly amountCents: number;
  /** ISO 4217 code. */
  readonly currency: string;
}

/** A processor's final answer. A transient failure is not an outcome: the processor throws. */
export type ChargeOutcome =
  { readonly status: 'captured' } | { readonly status: 'declined'; readonly reason: string };

/**
 * A payment processor (card network, PSP). `charge` resolves with a final outcome or rejects on a
 * transient failure, in which case nothing was charged and the request may be retried.
 */
export interface PaymentProcessor {
  charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeOutcome>;
}
