/**
 * The OpenAPI 3.1 document of the order service, generated from the zod schemas in `schemas.ts`
 * (the same ones that validate requests) by the builder the services share.
 */
import { buildServiceOpenApiDocument, type JsonObject } from '@shipshape/service-kit';
import { errorCatalogue } from './errors.ts';
import {
  createOrderBodySchema,
  createOrderHeadersSchema,
  orderParamsSchema,
  orderSchema,
  problemSchema,
} from './schemas.ts';

export type { JsonObject } from '@shipshape/service-kit';

/** Builds the OpenAPI 3.1 document served at `GET /openapi.json`. */
export function buildOpenApiDocument(options: { version?: string } = {}): JsonObject {
  return buildServiceOpenApiDocument({
    title: 'Shipshape order service',
    version: options.version,
    description: 'Orders paid asynchronously through a transactional outbox and a BullMQ queue.',
    catalogue: errorCatalogue,
    requestSchemas: { CreateOrderRequest: createOrderBodySchema },
    responseSchemas: { Order: orderSchema, Problem: problemSchema },
    routes: ({ json, parameters, problems, everyRequest, withBody }) => ({
      '/orders': {
        post: {
          operationId: 'createOrder',
          parameters: parameters('header', createOrderHeadersSchema).map((parameter) => ({
            ...parameter,
            name: 'Idempotency-Key',
            description:
              'Optional. The same key with the same body answers the order the first request created; ' +
              'with a different body it answers 422.',
          })),
          requestBody: { required: true, content: json('CreateOrderRequest') },
          responses: {
            '202': {
              description: 'Accepted: stored `pending`, payment runs asynchronously',
              content: json('Order'),
            },
            ...problems([
              ...withBody,
              'idempotency_key_reused',
              'unknown_user',
              'upstream_unavailable',
              'payments_backlogged',
              ...everyRequest,
            ]),
          },
        },
      },
      '/orders/{id}': {
        get: {
          operationId: 'getOrder',
          parameters: parameters('path', orderParamsSchema),
          responses: {
            '200': { description: 'The order and its current status', content: json('Order') },
            ...problems(['validation_failed', 'not_found', ...everyRequest]),
          },
        },
      },
    }),
  });
}
