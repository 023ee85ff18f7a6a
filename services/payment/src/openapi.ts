/**
 * The OpenAPI 3.1 document of the payment service, generated from the zod schemas in `schemas.ts`
 * (the same ones that validate requests) by the builder the services share.
 */
import { buildServiceOpenApiDocument, type JsonObject } from '@shipshape/service-kit';
import { errorCatalogue } from './errors.ts';
import {
  createPaymentBodySchema,
  createPaymentHeadersSchema,
  listPaymentsQuerySchema,
  paymentListSchema,
  paymentParamsSchema,
  paymentSchema,
  problemSchema,
} from './schemas.ts';

export type { JsonObject } from '@shipshape/service-kit';

/** Builds the OpenAPI 3.1 document served at `GET /openapi.json`. */
export function buildOpenApiDocument(options: { version?: string } = {}): JsonObject {
  return buildServiceOpenApiDocument({
    title: 'Shipshape payment service',
    version: options.version,
    description: 'Idempotent payments against a simulated processor with runtime-tunable faults.',
    catalogue: errorCatalogue,
    requestSchemas: { CreatePaymentRequest: createPaymentBodySchema },
    responseSchemas: { Payment: paymentSchema, PaymentList: paymentListSchema, Problem: problemSchema },
    routes: ({ json, parameters, problems, everyRequest, withBody }) => ({
      '/payments': {
        post: {
          operationId: 'createPayment',
          parameters: parameters('header', createPaymentHeadersSchema).map((parameter) => ({
            ...parameter,
            name: 'Idempotency-Key',
            description:
              'Required. Same key and same body answer the first payment (200); a different body answers 422; ' +
              'concurrent requests with one key make exactly one charge.',
          })),
          requestBody: { required: true, content: json('CreatePaymentRequest') },
          responses: {
            '201': { description: 'Charged: captured or declined', content: json('Payment') },
            '200': {
              description: 'Replay: the payment made by the first request with this key',
              content: json('Payment'),
            },
            ...problems([
              ...withBody,
              'missing_idempotency_key',
              'idempotency_key_in_progress',
              'idempotency_key_reused',
              'processor_unavailable',
              // With mutual TLS on, only the order service may charge.
              'forbidden',
              ...everyRequest,
            ]),
          },
        },
        get: {
          operationId: 'listPayments',
          parameters: parameters('query', listPaymentsQuerySchema),
          responses: {
            '200': { description: 'Every payment of the order, oldest first', content: json('PaymentList') },
            ...problems(['validation_failed', ...everyRequest]),
          },
        },
      },
      '/payments/{id}': {
        get: {
          operationId: 'getPayment',
          parameters: parameters('path', paymentParamsSchema),
          responses: {
            '200': { description: 'The payment', content: json('Payment') },
            ...problems(['validation_failed', 'not_found', ...everyRequest]),
          },
        },
      },
    }),
  });
}
