/**
 * What the outbox carries for each order and what the relay hands to the `payments` queue: the
 * job data of a payment. The BullMQ job id is `orderId`, so a relay that delivers an entry twice
 * (at-least-once) still yields one job, and the payment service's Idempotency-Key is `orderId`
 * too, so a job that runs twice still charges once.
 */
export interface PaymentJob {
  readonly orderId: string;
  /** Integer minor units. */
  readonly amountCents: number;
  /** ISO 4217 code. */
  readonly currency: string;
  /**
   * W3C trace context of the request that created the order (`traceparent`, `tracestate`), so
   * the payment's spans join that trace.
   */
  readonly traceContext?: Readonly<Record<string, string>>;
}
