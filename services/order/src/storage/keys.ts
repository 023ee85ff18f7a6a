/**
 * Every Redis key of the order service, in one place. All start with {@link keyPrefix} so the
 * service can share a Redis with the others (and a test SCANs for strays). BullMQ's own keys
 * (queue `payments`) get the same prefix when the worker lands (`prefix: 'order:bull'`).
 *
 * | key | type | holds |
 * |---|---|---|
 * | `order:order:<id>` | hash | `data` (immutable order JSON), `status` |
 * | `order:idem:<Idempotency-Key>` | hash | `orderId`, `hash` of the body |
 * | `order:outbox` | stream | one entry per created order, until the relay enqueued its payment job |
 * | `order:outbox:dead` | stream | malformed outbox entries the relay parked for an operator |
 */
export const keyPrefix = 'order:';

/** The key names of the order service. */
export const keys = {
  order: (id: string): string => `${keyPrefix}order:${id}`,
  idempotency: (key: string): string => `${keyPrefix}idem:${key}`,
  outbox: `${keyPrefix}outbox`,
  outboxDead: `${keyPrefix}outbox:dead`,
} as const;
