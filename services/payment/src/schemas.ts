/**
 * The zod schemas of every request and response of the payment service. They validate requests
 * and are the single source of the OpenAPI document (`openapi.ts`), so the two cannot drift.
 */
import {
  createProblemSchema,
  idSchema,
  idempotencyKeySchema as sharedIdempotencyKeySchema,
} from '@shipshape/service-kit';
import { z } from 'zod';
import { errorCodes } from './errors.ts';

/** Opaque identifiers (shared by the services, see `@shipshape/service-kit`). */
export { idSchema };

/**
 * The `Idempotency-Key` header: 1..128 characters of `A-Z a-z 0-9 _ - . :`, enough for UUIDs,
 * ULIDs and `<scope>:<id>` keys, and nothing that needs escaping in a Redis key or a log line.
 */
export const idempotencyKeySchema = sharedIdempotencyKeySchema.meta({
  example: 'order-0192f0c5-5b7e-7c3a-9a51-3f1f0e0c9b2d',
});

/** Largest chargeable amount in minor units (100 million major units); also the order service's limit. */
export const maxAmountCents = 10_000_000_000;

/** Money in integer minor units. Floats, negatives and amounts over {@link maxAmountCents} are rejected. */
export const amountCentsSchema = z
  .number()
  .int()
  .nonnegative()
  .max(maxAmountCents)
  .meta({ description: 'Integer minor units (cents).', example: 2599 });

/** An ISO 4217 alphabetic currency code. */
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code: 3 upper-case letters')
  .meta({ example: 'EUR' });

/** `POST /payments` body. Unknown fields are rejected so typos surface as 400s. */
export const createPaymentBodySchema = z.strictObject({
  orderId: idSchema,
  amountCents: amountCentsSchema,
  currency: currencySchema,
});
/** A validated `POST /payments` body. */
export type CreatePaymentBody = z.output<typeof createPaymentBodySchema>;

/** `POST /payments` headers (Node lower-cases header names). Absent key → `missing_idempotency_key`. */
export const createPaymentHeadersSchema = z.object({ 'idempotency-key': idempotencyKeySchema });

/** `GET /payments/:id` path parameters. */
export const paymentParamsSchema = z.object({ id: idSchema });

/** `GET /payments?orderId=` query. */
export const listPaymentsQuerySchema = z.object({ orderId: idSchema });

/** Final outcome of a charge. */
export const paymentStatusSchema = z.enum(['captured', 'declined']);
/** Final outcome of a charge. */
export type PaymentStatus = z.output<typeof paymentStatusSchema>;

/** A payment as the API returns it. */
export const paymentSchema = z.object({
  id: idSchema,
  orderId: idSchema,
  amountCents: amountCentsSchema,
  currency: currencySchema,
  status: paymentStatusSchema,
  createdAt: z.iso.datetime(),
});
/** A payment as the API returns it. */
export type Payment = z.output<typeof paymentSchema>;

/** `GET /payments?orderId=` response: every payment of the order, oldest first. */
export const paymentListSchema = z.object({ items: z.array(paymentSchema) });
/** `GET /payments?orderId=` response. */
export type PaymentList = z.output<typeof paymentListSchema>;

/** RFC 9457 problem document (`application/problem+json`). */
export const problemSchema = createProblemSchema(errorCodes);
