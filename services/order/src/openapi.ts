/**
 * The OpenAPI 3.1 document of the order service, generated from the zod schemas in `schemas.ts`
 * (the same ones that validate requests). zod 4 emits JSON Schema 2020-12, which is OpenAPI
 * 3.1's schema dialect, so the output is used as-is apart from moving it under `components`.
 */
import { z } from 'zod';
import { errorCatalogue, type ErrorCode } from './errors.ts';
import {
  createOrderBodySchema,
  createOrderHeadersSchema,
  orderParamsSchema,
  orderSchema,
  problemSchema,
} from './schemas.ts';

/** A JSON Schema or OpenAPI object; the document is plain JSON. */
export type JsonObject = { [key: string]: unknown };

const componentRef = (id: string): string => `#/components/schemas/${id}`;

/**
 * Emits one registry of named schemas as `components.schemas`. Requests are described as the
 * client may send them (`io: 'input'`: defaults optional), responses as the server sends them.
 */
function components(io: 'input' | 'output', named: Record<string, z.ZodType>): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, target: 'draft-2020-12', uri: componentRef });
  const out: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonObject;
    out[id] = rest;
  }
  return out;
}

/** Query, path or header parameters from the fields of a zod object. */
function parameters(where: 'query' | 'path' | 'header', schema: z.ZodObject): JsonObject[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const {
      $schema: _dialect,
      description,
      ...rest
    } = z.toJSONSchema(field as z.ZodType, {
      io: 'input',
      target: 'draft-2020-12',
    });
    return {
      name,
      in: where,
      required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const json = (ref: string): JsonObject => ({ 'application/json': { schema: { $ref: componentRef(ref) } } });

/** Problem responses for `codes`, grouped by status (several codes may share one). */
function problems(codes: readonly ErrorCode[]): Record<string, JsonObject> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const { status } = errorCatalogue[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, JsonObject> = {};
  for (const [status, list] of byStatus) {
    out[String(status)] = {
      description: list.map((code) => `\`${code}\`: ${errorCatalogue[code].title}`).join('; '),
      content: { 'application/problem+json': { schema: { $ref: componentRef('Problem') } } },
    };
  }
  return out;
}

/** Codes any request may meet, whatever the route. */
const everyRequest: readonly ErrorCode[] = [
  'rate_limited',
  'internal_error',
  'service_unavailable',
  'deadline_exceeded',
];
const withBody: readonly ErrorCode[] = [
  'validation_failed',
  'malformed_json',
  'payload_too_large',
  'unsupported_media_type',
];

const plain = (description: string): JsonObject => ({ description });

/** Builds the OpenAPI 3.1 document served at `GET /openapi.json`. */
export function buildOpenApiDocument(options: { version?: string } = {}): JsonObject {
  const schemas = {
    ...components('input', { CreateOrderRequest: createOrderBodySchema }),
    ...components('output', { Order: orderSchema, Problem: problemSchema }),
  };
  const idempotencyKey = parameters('header', createOrderHeadersSchema).map((parameter) => ({
    ...parameter,
    name: 'Idempotency-Key',
    description:
      'Optional. The same key with the same body answers the order the first request created; ' +
      'with a different body it answers 422.',
  }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Shipshape order service',
      version: options.version ?? '0.1.0',
      description: 'Orders paid asynchronously through a transactional outbox and a BullMQ queue.',
    },
    paths: {
      '/orders': {
        post: {
          operationId: 'createOrder',
          parameters: idempotencyKey,
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
      '/health': { get: { operationId: 'health', responses: { '200': plain('The process is alive') } } },
      '/ready': {
        get: {
          operationId: 'ready',
          responses: { '200': plain('Ready'), '503': plain('Not ready; the body lists the failing checks') },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          responses: { '200': plain('Prometheus text format, or OpenMetrics when asked') },
        },
      },
      '/openapi.json': { get: { operationId: 'openapi', responses: { '200': plain('This document') } } },
      '/config': {
        get: {
          operationId: 'config',
          responses: {
            '200': plain('Effective configuration with the source of each value, secrets redacted'),
          },
        },
      },
    },
    components: { schemas },
  };
}
