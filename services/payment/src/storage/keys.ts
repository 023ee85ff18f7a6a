/**
 * Every Redis key of the payment service, in one place. All start with {@link keyPrefix} so the
 * service can share a Redis with the others (and a test SCANs for strays).
 *
 * | key | type | holds |
 * |---|---|---|
 * | `payment:payment:<id>` | string | the payment as JSON |
 * | `payment:order:<orderId>` | sorted set, all scores 0 | ids of the order's payments, by creation |
 * | `payment:idem:<Idempotency-Key>` | hash | `state` pending/done, `hash` of the body, `token` of the claimant, `paymentId` |
 * | `payment:processor:<Idempotency-Key>` | string | the simulated processor's recorded outcome (its own dedup book) |
 */
export const keyPrefix = 'payment:';

/** The key names of the payment service. */
export const keys = {
  payment: (id: string): string => `${keyPrefix}payment:${id}`,
  orderPayments: (orderId: string): string => `${keyPrefix}order:${orderId}`,
  idempotency: (key: string): string => `${keyPrefix}idem:${key}`,
  processorLedger: (key: string): string => `${keyPrefix}processor:${key}`,
} as const;
