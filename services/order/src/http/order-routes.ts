import { context, propagation } from '@opentelemetry/api';
import { methodNotAllowed, requestDeadline, requestSignal } from '@shipshape/observability/http';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { UserDirectory } from '../clients/user-client.ts';
import {
  createOrderBodySchema,
  createOrderHeadersSchema,
  orderParamsSchema,
  type Order,
} from '../schemas.ts';
import type { CreateOrderInput, CreateOrderResult } from '../storage/order-repository.ts';
import { catalogueProblem } from './map-error.ts';

/** What the routes need of storage (`OrderRepository` fits). */
export interface OrderStore {
  createOrder(input: CreateOrderInput): Promise<CreateOrderResult>;
  getOrder(id: string): Promise<Order | undefined>;
}

/** Called once per new order (not for Idempotency-Key replays), e.g. to count `orders_total`. */
export type OnAccepted = (order: Order) => void;

/**
 * Time kept back from the inbound deadline for storing the order and answering, in ms: the user
 * lookup gets what is left minus this, so a slow user service cannot eat the whole budget.
 */
const answerReserveMs = 50;

/** The active W3C trace context (`traceparent`, `tracestate`), or undefined when not tracing. */
function currentTraceContext(): Record<string, string> | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

/** What is left of the request's deadline for the user lookup, in ms (undefined: no deadline). */
function lookupBudgetMs(req: Request): number | undefined {
  const remaining = requestDeadline(req)?.remainingMs();
  return remaining === undefined ? undefined : Math.max(0, remaining - answerReserveMs);
}

/**
 * `/orders` routes. Inputs are parsed by the zod schemas that also generate the OpenAPI
 * document (a ZodError becomes 400 `validation_failed` with every issue). `POST /orders`
 * validates body and headers, asks the user service whether the user exists (before anything is
 * stored; a replay with the same Idempotency-Key asks again, which is cheap and keeps one code
 * path), then stores the order and its payment job in one Lua script with the request's trace
 * context, and answers 202.
 */
export function orderRoutes(
  store: OrderStore,
  users: UserDirectory,
  onAccepted: OnAccepted,
  shedIntake?: () => number | undefined,
): Router {
  const router = Router();
  router
    .route('/orders')
    .post(async (req, res) => {
      const body = createOrderBodySchema.safeParse(req.body);
      const headers = createOrderHeadersSchema.safeParse(req.headers);
      if (!body.success || !headers.success) {
        // One 400 lists the body's problems and the header's together.
        throw new z.ZodError([
          ...(body.error?.issues ?? []),
          ...(headers.error?.issues ?? []).map((issue) => ({ ...issue, path: ['headers', ...issue.path] })),
        ]);
      }
      // Payment is behind intake and shedding is on: refuse before anything is asked or stored.
      const retryAfterMs = shedIntake?.();
      if (retryAfterMs !== undefined) {
        throw catalogueProblem(
          'payments_backlogged',
          'Payments are behind; nothing was stored, retry later.',
          { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } },
        );
      }
      const signal = requestSignal(req);
      const timeoutMs = lookupBudgetMs(req);
      const user = await users.lookup(body.data.userId, {
        signal,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
      if (user === 'unknown') throw catalogueProblem('unknown_user', 'No user with this userId.');
      // The deadline passed during the lookup: 504 is answered already, store nothing.
      if (signal.aborted) return;
      const result = await store.createOrder({
        ...body.data,
        idempotencyKey: headers.data['idempotency-key'],
        traceContext: currentTraceContext(),
      });
      if (!result.replayed) onAccepted(result.order);
      res.status(202).json(result.order);
    })
    .all(methodNotAllowed(['POST']));
  router
    .route('/orders/:id')
    .get(async (req, res) => {
      const { id } = orderParamsSchema.parse(req.params);
      const order = await store.getOrder(id);
      if (!order) throw catalogueProblem('not_found', 'No order with this id.');
      res.json(order);
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
