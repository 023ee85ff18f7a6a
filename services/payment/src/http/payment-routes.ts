import { methodNotAllowed, requestSignal } from '@shipshape/observability/http';
import { Router } from 'express';
import { z } from 'zod';
import type { PaymentProcessor } from '../processor/payment-processor.ts';
import {
  createPaymentBodySchema,
  createPaymentHeadersSchema,
  listPaymentsQuerySchema,
  paymentParamsSchema,
  type Payment,
} from '../schemas.ts';
import type { ChargeInput, ChargeResult } from '../storage/payment-repository.ts';
import { catalogueProblem } from './map-error.ts';

/** What the routes need of storage (`PaymentRepository` fits). */
export interface PaymentStore {
  charge(input: ChargeInput, processor: PaymentProcessor, signal?: AbortSignal): Promise<ChargeResult>;
  getPayment(id: string): Promise<Payment | undefined>;
  listPaymentsByOrder(orderId: string): Promise<Payment[]>;
}

/** Called once per new payment (not for replays), e.g. to count `payments_total{outcome}`. */
export type OnCharged = (payment: Payment) => void;

/**
 * `/payments` routes. Inputs are parsed by the zod schemas that also generate the OpenAPI
 * document (a ZodError becomes 400 `validation_failed` with every issue). The body is validated
 * before the Idempotency-Key is looked at for anything but presence, so a bad body never claims
 * a key.
 */
export function paymentRoutes(
  store: PaymentStore,
  processor: PaymentProcessor,
  onCharged: OnCharged,
): Router {
  const router = Router();
  router
    .route('/payments')
    .post(async (req, res) => {
      if (req.headers['idempotency-key'] === undefined) {
        throw catalogueProblem('missing_idempotency_key', 'POST /payments needs an Idempotency-Key header.');
      }
      const body = createPaymentBodySchema.safeParse(req.body);
      const headers = createPaymentHeadersSchema.safeParse(req.headers);
      if (!body.success || !headers.success) {
        // One 400 lists the body's problems and the header's together.
        throw new z.ZodError([
          ...(body.error?.issues ?? []),
          ...(headers.error?.issues ?? []).map((issue) => ({ ...issue, path: ['headers', ...issue.path] })),
        ]);
      }
      const result = await store.charge(
        { ...body.data, idempotencyKey: headers.data['idempotency-key'] },
        processor,
        requestSignal(req),
      );
      if (!result.replayed) onCharged(result.payment);
      res.status(result.replayed ? 200 : 201).json(result.payment);
    })
    .get(async (req, res) => {
      const { orderId } = listPaymentsQuerySchema.parse(req.query);
      res.json({ items: await store.listPaymentsByOrder(orderId) });
    })
    .all(methodNotAllowed(['GET', 'POST']));
  router
    .route('/payments/:id')
    .get(async (req, res) => {
      const { id } = paymentParamsSchema.parse(req.params);
      const payment = await store.getPayment(id);
      if (!payment) throw catalogueProblem('not_found', 'No payment with this id.');
      res.json(payment);
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
