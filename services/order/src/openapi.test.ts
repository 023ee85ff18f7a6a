import { describe, expect, it } from 'vitest';
import { expectEndpointTableMatches, inspectOpenApiDocument } from '@shipshape/service-kit/testing';
import { errorCodes } from './errors.ts';
import { buildOpenApiDocument, type JsonObject } from './openapi.ts';
import { createOrderBodySchema } from './schemas.ts';

const doc = buildOpenApiDocument();
const { paths, schemas, operations, refs, requestBodyRef, resolve } = inspectOpenApiDocument(doc);

describe('buildOpenApiDocument', () => {
  it('is an OpenAPI 3.1 document listing the service routes before the operational ones', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(operations.slice(0, 2)).toEqual(['POST /orders', 'GET /orders/{id}']);
    expect(operations).toHaveLength(7);
  });

  it('references the request body schema and every $ref resolves', () => {
    expect(requestBodyRef('/orders', 'post')).toBe('#/components/schemas/CreateOrderRequest');
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) resolve(ref);
  });

  it('documents 202 and the upstream problems of POST /orders', () => {
    const responses = paths['/orders']!.post!.responses as Record<string, JsonObject>;
    expect(Object.keys(responses)).toEqual(
      expect.arrayContaining(['202', '400', '413', '415', '422', '429', '503']),
    );
    expect(String(responses['422']!.description)).toContain('unknown_user');
    expect(String(responses['503']!.description)).toContain('upstream_unavailable');
    const problemCodes = (schemas.Problem!.properties as { code: { enum: string[] } }).code.enum;
    expect(problemCodes).toEqual(errorCodes);
  });

  it('makes the Idempotency-Key header optional', () => {
    expect(paths['/orders']!.post!.parameters).toEqual([
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    ]);
  });
});

describe('emitted request schema agrees with zod', () => {
  const emitted = resolve('#/components/schemas/CreateOrderRequest');
  const items = (emitted.properties as { items: JsonObject }).items as {
    minItems: number;
    maxItems: number;
    items: { required: string[]; additionalProperties: boolean; properties: Record<string, JsonObject> };
  };

  it('requires the same fields and forbids unknown ones at both levels', () => {
    expect(emitted.required).toEqual(['userId', 'items']);
    expect(emitted.additionalProperties).toBe(false);
    expect(items.items.required).toEqual(['sku', 'quantity', 'unitPriceCents']);
    expect(items.items.additionalProperties).toBe(false);
  });

  it.each([
    [0, false],
    [1, true],
    [100, true],
    [101, false],
  ])('an order of %i items is accepted by both or by neither (%s)', (count, valid) => {
    const body = {
      userId: 'u-1',
      items: Array.from({ length: count }, () => ({ sku: 'A', quantity: 1, unitPriceCents: 1 })),
    };
    const bySchema = count >= items.minItems && count <= items.maxItems;
    expect([bySchema, createOrderBodySchema.safeParse(body).success]).toEqual([valid, valid]);
  });

  it.each([
    [1, true],
    [0, false],
    [1.5, false],
    [1001, false],
  ])('quantity %j is accepted by both or by neither (%s)', (quantity, valid) => {
    const rule = items.items.properties.quantity as { type: string; minimum: number; maximum: number };
    const bySchema =
      rule.type === 'integer' &&
      Number.isInteger(quantity) &&
      quantity >= rule.minimum &&
      quantity <= rule.maximum;
    const byZod = createOrderBodySchema.safeParse({
      userId: 'u-1',
      items: [{ sku: 'A', quantity, unitPriceCents: 1 }],
    }).success;
    expect([bySchema, byZod]).toEqual([valid, valid]);
  });
});

describe('the README endpoint table', () => {
  it('lists exactly the operations of the generated OpenAPI document', () => {
    expectEndpointTableMatches(new URL('../README.md', import.meta.url), doc);
  });
});
