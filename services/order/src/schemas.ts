/**
 * The zod schemas of every request and response of the order service. They validate requests
 * and are the single source of the OpenAPI document (`openapi.ts`), so the two cannot drift.
 */
import {
  createProblemSchema,
  idSchema,
  idempotencyKeySchema as sharedIdempotencyKeySchema,
} from '@shipshape/service-kit';
import { z } from 'zod';
import { errorCodes } from './errors.ts';
import { computeTotalCents, maxOrderTotalCents } from './order-total.ts';

/** Opaque identifiers (shared by the services, see `@shipshape/service-kit`). */
export { idSchema };

/**
 * The optional `Idempotency-Key` header: 1..128 characters of `A-Z a-z 0-9 _ - . :`, enough for
 * UUIDs, ULIDs and `<scope>:<id>` keys, and nothing that needs escaping in a Redis key or a log.
 */
export const idempotencyKeySchema = sharedIdempotencyKeySchema.meta({ example: 'checkout-7f3a' });

/** Most items in one order. */
export const maxOrderItems = 100;
/** Largest quantity of one item. */
export const maxQuantity = 1_000;
/** Largest unit price in minor units (10 million major units). */
export const maxUnitPriceCents = 1_000_000_000;

/** A stock-keeping unit: starts with a letter or digit, then letters, digits, `_ . -`. */
export const skuSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 characters of A-Z, a-z, 0-9, "_", "." or "-"')
  .meta({ example: 'SKU-1234' });

/** One line of an order. Money is integer minor units: floats, negatives and huge values are rejected. */
export const orderItemSchema = z.strictObject({
  sku: skuSchema,
  quantity: z.number().int().min(1).max(maxQuantity),
  unitPriceCents: z
    .number()
    .int()
    .nonnegative()
    .max(maxUnitPriceCents)
    .meta({ description: 'Integer minor units (cents).', example: 1250 }),
});
/** One line of an order. */
export type OrderItem = z.output<typeof orderItemSchema>;

/**
 * `POST /orders` body. Unknown fields are rejected (a client-sent `totalCents` is a 400, not
 * silently ignored). Per-field bounds keep every product a safe integer; the refinement rejects a
 * total over {@link maxOrderTotalCents}, the largest amount the payment service can charge.
 */
export const createOrderBodySchema = z
  .strictObject({
    userId: idSchema,
    items: z.array(orderItemSchema).min(1).max(maxOrderItems),
  })
  .superRefine((body, context) => {
    try {
      computeTotalCents(body.items);
    } catch {
      context.addIssue({
        code: 'custom',
        path: ['items'],
        message: `the order total must not exceed ${maxOrderTotalCents} cents`,
      });
    }
  });
/** A validated `POST /orders` body. */
export type CreateOrderBody = z.output<typeof createOrderBodySchema>;

/** `POST /orders` headers (Node lower-cases header names). */
export const createOrderHeadersSchema = z.object({ 'idempotency-key': idempotencyKeySchema.optional() });

/** `GET /orders/:id` path parameters. */
export const orderParamsSchema = z.object({ id: idSchema });

/** The order lifecycle; see `order-status.ts` for the allowed transitions. */
export const orderStatusSchema = z.enum(['pending', 'paid', 'payment_declined', 'payment_failed']);
/** The order lifecycle. */
export type OrderStatus = z.output<typeof orderStatusSchema>;

/** An order as the API returns it. */
export const orderSchema = z.object({
  id: idSchema,
  userId: idSchema,
  items: z.array(orderItemSchema),
  totalCents: z.number().int().nonnegative().max(maxOrderTotalCents),
  status: orderStatusSchema,
  createdAt: z.iso.datetime(),
});
/** An order as the API returns it. */
export type Order = z.output<typeof orderSchema>;

/** RFC 9457 problem document (`application/problem+json`). */
export const problemSchema = createProblemSchema(errorCodes);
