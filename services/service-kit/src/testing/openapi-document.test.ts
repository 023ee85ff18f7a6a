import { describe, expect, it } from 'vitest';
import { inspectOpenApiDocument } from './openapi-document.ts';

const doc = {
  openapi: '3.1.0',
  paths: {
    '/things': {
      post: {
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/NewThing' } } },
        },
        responses: {
          '201': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
        },
      },
      get: { responses: {} },
    },
  },
  components: { schemas: { NewThing: { type: 'object' }, Thing: { type: 'object' } } },
};

describe('inspectOpenApiDocument', () => {
  const view = inspectOpenApiDocument(doc);

  it('lists operations and refs in document order', () => {
    expect(view.operations).toEqual(['POST /things', 'GET /things']);
    expect(view.refs).toEqual(['#/components/schemas/NewThing', '#/components/schemas/Thing']);
  });

  it('finds the JSON request body reference of an operation, and nothing for one without a body', () => {
    expect(view.requestBodyRef('/things', 'post')).toBe('#/components/schemas/NewThing');
    expect(view.requestBodyRef('/things', 'get')).toBeUndefined();
  });

  it('resolves a component reference and fails the test on a dangling or foreign one', () => {
    expect(view.resolve('#/components/schemas/Thing')).toEqual({ type: 'object' });
    expect(() => view.resolve('#/components/schemas/Missing')).toThrow();
    expect(() => view.resolve('https://example.com/schema')).toThrow();
  });
});
