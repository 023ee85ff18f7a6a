import { describe, expect, it } from 'vitest';
import { expectEndpointTableMatches, inspectOpenApiDocument } from '@shipshape/service-kit/testing';
import { errorCodes } from './errors.ts';
import { buildOpenApiDocument, type JsonObject } from './openapi.ts';
import { createPaymentBodySchema } from './schemas.ts';

const doc = buildOpenApiDocument();
const { paths, schemas, operations, refs, requestBodyRef, resolve } = inspectOpenApiDocument(doc);

describe('buildOpenApiDocument', () => {
  it('is an OpenAPI 3.1 document listing the service routes before the operational ones', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(operations.slice(0, 3)).toEqual(['POST /payments', 'GET /payments', 'GET /payments/{id}']);
    expect(operations).toHaveLength(8);
  });

  it('references the request body schema and every $ref resolves', () => {
    expect(requestBodyRef('/payments', 'post')).toBe('#/components/schemas/CreatePaymentRequest');
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) resolve(ref);
  });

  it('requires the Idempotency-Key header on POST /payments', () => {
    const parameters = paths['/payments']!.post!.parameters as JsonObject[];
    expect(parameters).toEqual([
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    ]);
  });

  it('documents 201 and replay 200 and the idempotency problems', () => {
    const responses = paths['/payments']!.post!.responses as Record<string, JsonObject>;
    expect(Object.keys(responses)).toEqual(
      expect.arrayContaining(['200', '201', '400', '409', '413', '415', '422', '429', '500', '503', '504']),
    );
    expect(String(responses['422']!.description)).toContain('idempotency_key_reused');
    expect(String(responses['503']!.description)).toContain('processor_unavailable');
    expect(String(responses['403']!.description)).toContain('forbidden');
    const problemCodes = (schemas.Problem!.properties as { code: { enum: string[] } }).code.enum;
    expect(problemCodes).toEqual(errorCodes);
  });

  it('requires orderId in the list query', () => {
    const parameters = paths['/payments']!.get!.parameters as JsonObject[];
    expect(parameters.map((p) => [p.name, p.in, p.required])).toEqual([['orderId', 'query', true]]);
  });
});

describe('emitted request schema agrees with zod', () => {
  const emitted = resolve('#/components/schemas/CreatePaymentRequest');
  const properties = emitted.properties as Record<string, JsonObject>;

  /** Checks the few JSON Schema keywords this schema uses, by hand. */
  function acceptsAmount(value: unknown): boolean {
    const rule = properties.amountCents as { type: string; minimum: number; maximum: number };
    return (
      rule.type === 'integer' &&
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= rule.minimum &&
      value <= rule.maximum
    );
  }

  it('requires the same fields and forbids unknown ones', () => {
    expect(emitted.required).toEqual(['orderId', 'amountCents', 'currency']);
    expect(emitted.additionalProperties).toBe(false);
  });

  it.each([
    [2599, true],
    [0, true],
    [25.99, false],
    [-1, false],
    [10_000_000_001, false],
    ['2599', false],
  ])('amountCents %j is accepted by both or by neither (%s)', (amountCents, valid) => {
    const byZod = createPaymentBodySchema.safeParse({ orderId: 'o-1', amountCents, currency: 'EUR' }).success;
    expect([acceptsAmount(amountCents), byZod]).toEqual([valid, valid]);
  });

  it.each([
    ['EUR', true],
    ['eur', false],
    ['EU', false],
  ])('currency %j is accepted by both or by neither (%s)', (currency, valid) => {
    const pattern = new RegExp((properties.currency as { pattern: string }).pattern, 'u');
    const byZod = createPaymentBodySchema.safeParse({ orderId: 'o-1', amountCents: 1, currency }).success;
    expect([pattern.test(currency), byZod]).toEqual([valid, valid]);
  });
});

describe('the README endpoint table', () => {
  it('lists exactly the operations of the generated OpenAPI document', () => {
    expectEndpointTableMatches(new URL('../README.md', import.meta.url), doc);
  });
});
