import { describe, expect, it } from 'vitest';
import { expectEndpointTableMatches, inspectOpenApiDocument } from '@shipshape/service-kit/testing';
import { errorCodes } from './errors.ts';
import { buildOpenApiDocument, type JsonObject } from './openapi.ts';
import { createUserBodySchema } from './schemas.ts';

const doc = buildOpenApiDocument();
const { paths, schemas, operations, refs, requestBodyRef, resolve } = inspectOpenApiDocument(doc);

describe('buildOpenApiDocument', () => {
  it('is an OpenAPI 3.1 document listing the service routes before the operational ones', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(operations.slice(0, 3)).toEqual(['POST /users', 'GET /users', 'GET /users/{id}']);
    expect(operations).toHaveLength(8);
  });

  it('references the request body schema and every $ref resolves', () => {
    expect(requestBodyRef('/users', 'post')).toBe('#/components/schemas/CreateUserRequest');
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) resolve(ref);
  });

  it('documents problem+json errors with the catalogue codes', () => {
    const responses = paths['/users']!.post!.responses as Record<string, JsonObject>;
    expect(Object.keys(responses)).toEqual(
      expect.arrayContaining(['201', '400', '409', '413', '415', '429', '500']),
    );
    expect(responses['409']!.content).toEqual({
      'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    });
    const problemCodes = (schemas.Problem!.properties as { code: { enum: string[] } }).code.enum;
    expect(problemCodes).toEqual(errorCodes);
  });

  it('describes query and path parameters from the zod schemas', () => {
    const list = paths['/users']!.get!.parameters as JsonObject[];
    expect(list.map((p) => [p.name, p.in, p.required])).toEqual([
      ['limit', 'query', false],
      ['cursor', 'query', false],
    ]);
    expect(list[0]!.schema).toMatchObject({ type: 'string', default: '20', pattern: '^[0-9]{1,3}$' });
    const get = paths['/users/{id}']!.get!.parameters as JsonObject[];
    expect(get).toEqual([
      expect.objectContaining({
        name: 'id',
        in: 'path',
        required: true,
        schema: expect.objectContaining({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) as unknown,
      }),
    ]);
  });
});

describe('emitted request schema agrees with zod', () => {
  const emitted = resolve('#/components/schemas/CreateUserRequest');
  const properties = emitted.properties as Record<
    string,
    { pattern?: string; maxLength?: number; minLength?: number }
  >;

  it('requires the same fields and forbids unknown ones', () => {
    expect(emitted.required).toEqual(['email', 'name']);
    expect(emitted.additionalProperties).toBe(false);
    expect(createUserBodySchema.safeParse({ email: 'a@example.com', name: 'A', x: 1 }).success).toBe(false);
  });

  it.each([
    ['Ada Lovelace', true],
    ['Ada\u0007', false],
    ['Ada\u202Enimda', false],
    ['\u200fדוד', true],
    ['Zoë', true],
    ['x'.repeat(101), false],
  ])('name %j is accepted by both or by neither (%s)', (name, valid) => {
    const rule = properties.name!;
    const bySchema =
      new RegExp(rule.pattern!, 'u').test(name) &&
      name.length <= rule.maxLength! &&
      name.length >= rule.minLength!;
    const byZod = createUserBodySchema.safeParse({ email: 'a@example.com', name }).success;
    expect([bySchema, byZod]).toEqual([valid, valid]);
  });

  it.each([
    ['ada@example.com', true],
    ['ada@', false],
    ['ada@example.com\u0000', false],
  ])('email %j is accepted by both or by neither (%s)', (email, valid) => {
    const bySchema = new RegExp(properties.email!.pattern!, 'u').test(email);
    const byZod = createUserBodySchema.safeParse({ email, name: 'Ada' }).success;
    expect([bySchema, byZod]).toEqual([valid, valid]);
  });
});

describe('the README endpoint table', () => {
  it('lists exactly the operations of the generated OpenAPI document', () => {
    expectEndpointTableMatches(new URL('../README.md', import.meta.url), doc);
  });
});
