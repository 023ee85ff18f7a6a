import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineErrorCatalogue, type ErrorEntry } from '../errors/error-catalogue.ts';
import type { JsonObject } from './components.ts';
import { buildServiceOpenApiDocument } from './service-document.ts';

/** The statuses the assertions below rely on; titles are derived so the test stays short. */
const statuses = {
  validation_failed: 400,
  malformed_json: 400,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
  deadline_exceeded: 504,
} as const;
const catalogue = defineErrorCatalogue(
  Object.fromEntries(
    Object.entries(statuses).map(([code, status]) => [code, { status, title: `Title of ${code}` }]),
  ) as Record<keyof typeof statuses, ErrorEntry>,
);
const widgetBody = z.strictObject({ name: z.string().min(1), size: z.number().int().default(1) });
const widget = z.object({ id: z.string(), name: z.string(), size: z.number().int() });
const problem = z.object({ code: z.enum(catalogue.codes) });
const listQuery = z.object({
  limit: z.string().default('20').meta({ description: 'Page size.' }),
  owner: z.string(),
});
const widgetParams = z.object({ id: z.string() });
const headers = z.object({ 'idempotency-key': z.string().optional() });

function buildDocument(version?: string): JsonObject {
  return buildServiceOpenApiDocument({
    title: 'Widgets',
    description: 'A toy service.',
    version,
    catalogue: catalogue.entries,
    requestSchemas: { CreateWidgetRequest: widgetBody },
    responseSchemas: { Widget: widget, Problem: problem },
    routes: ({ json, parameters, problems, everyRequest, withBody }) => ({
      '/widgets': {
        post: {
          parameters: parameters('header', headers),
          requestBody: { required: true, content: json('CreateWidgetRequest') },
          responses: {
            '201': { description: 'Created', content: json('Widget') },
            ...problems([...withBody]),
          },
        },
        get: { parameters: parameters('query', listQuery), responses: problems([...everyRequest]) },
      },
      '/widgets/{id}': {
        get: { parameters: parameters('path', widgetParams), responses: problems(['not_found']) },
      },
    }),
  });
}

const doc = buildDocument();
const paths = doc.paths as Record<string, Record<string, JsonObject>>;
const schemas = (doc.components as { schemas: Record<string, JsonObject> }).schemas;

describe('buildServiceOpenApiDocument', () => {
  it('describes an OpenAPI 3.1 document with the given info and version 0.1.0 by default', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Widgets', version: '0.1.0', description: 'A toy service.' });
    expect((buildDocument('2.3.4').info as JsonObject).version).toBe('2.3.4');
  });

  it('puts the service routes first, then the operational routes every service answers', () => {
    expect(Object.keys(paths)).toEqual([
      '/widgets',
      '/widgets/{id}',
      '/health',
      '/ready',
      '/metrics',
      '/openapi.json',
      '/config',
    ]);
    expect(Object.keys(paths['/ready']!.get!.responses as JsonObject)).toEqual(['200', '503']);
  });

  it('documents /config behind the admin bearer token (401, 403)', () => {
    const config = paths['/config']!.get!;
    expect(config.security).toEqual([{ adminToken: [] }]);
    expect(Object.keys(config.responses as JsonObject)).toEqual(['200', '401', '403']);
    const { securitySchemes } = doc.components as { securitySchemes: Record<string, JsonObject> };
    expect(securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('emits request schemas as input (defaults optional) and responses as output', () => {
    expect(schemas.CreateWidgetRequest!.required).toEqual(['name']);
    expect(schemas.CreateWidgetRequest!.additionalProperties).toBe(false);
    expect(schemas.Widget!.required).toEqual(['id', 'name', 'size']);
    expect(schemas.Widget).not.toHaveProperty('$schema');
    expect(schemas.Widget).not.toHaveProperty('$id');
  });

  it('groups problem responses by status and names every code with its title', () => {
    const responses = paths['/widgets']!.post!.responses as Record<string, JsonObject>;
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '413', '415']);
    expect(responses['400']).toEqual({
      description:
        '`validation_failed`: Title of validation_failed; `malformed_json`: Title of malformed_json',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    expect(Object.keys(paths['/widgets']!.get!.responses as JsonObject)).toEqual([
      '429',
      '500',
      '503',
      '504',
    ]);
  });

  it('derives parameters, their required flag and description from zod fields', () => {
    expect(paths['/widgets']!.get!.parameters).toEqual([
      {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'Page size.',
        schema: { type: 'string', default: '20' },
      },
      { name: 'owner', in: 'query', required: true, schema: { type: 'string' } },
    ]);
    expect(paths['/widgets/{id}']!.get!.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    expect(paths['/widgets']!.post!.parameters).toEqual([
      { name: 'idempotency-key', in: 'header', required: false, schema: { type: 'string' } },
    ]);
  });

  it('resolves every $ref inside the document', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(3);
    for (const ref of refs)
      expect(schemas[ref.slice('"$ref":"#/components/schemas/'.length, -1)]).toBeDefined();
  });

  it('returns a fresh document each time, so a caller editing one cannot change the next', () => {
    ((buildDocument().paths as Record<string, JsonObject>)['/health'] as JsonObject).get = 'edited';
    expect(paths['/health']!.get).toMatchObject({ operationId: 'health' });
    expect((buildDocument().paths as Record<string, JsonObject>)['/health']!.get).toMatchObject({
      operationId: 'health',
    });
  });
});
