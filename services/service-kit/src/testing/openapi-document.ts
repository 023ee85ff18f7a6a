import { expect } from 'vitest';
import type { JsonObject } from '../openapi/components.ts';

const refPrefix = '#/components/schemas/';

/** A typed view of an OpenAPI document for assertions; see {@link inspectOpenApiDocument}. */
export interface OpenApiDocumentView {
  /** `paths`, as path → method → operation. */
  readonly paths: Record<string, Record<string, JsonObject>>;
  /** `components.schemas`, by name. */
  readonly schemas: Record<string, JsonObject>;
  /** Every operation as `METHOD /path`, in document order. */
  readonly operations: string[];
  /** Every `$ref` value anywhere in the document, in document order. */
  readonly refs: string[];
  /** The `$ref` of the `application/json` request body of one operation. */
  readonly requestBodyRef: (path: string, method: string) => unknown;
  /** Follows a `#/components/schemas/X` reference; fails the test when it does not resolve. */
  readonly resolve: (ref: unknown) => JsonObject;
}

/** Wraps a generated OpenAPI document so service tests can assert on it without casts. */
export function inspectOpenApiDocument(doc: JsonObject): OpenApiDocumentView {
  const paths = doc.paths as Record<string, Record<string, JsonObject>>;
  const schemas = (doc.components as { schemas: Record<string, JsonObject> }).schemas;
  return {
    paths,
    schemas,
    operations: Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    ),
    refs: (JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? []).map((ref) =>
      ref.slice('"$ref":"'.length, -1),
    ),
    requestBodyRef: (path, method) => {
      const body = paths[path]?.[method]?.requestBody as
        { content?: Record<string, { schema?: { $ref?: unknown } }> } | undefined;
      return body?.content?.['application/json']?.schema?.$ref;
    },
    resolve: (ref) => {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      const target = schemas[String(ref).slice(refPrefix.length)];
      expect(target, String(ref)).toBeDefined();
      return target!;
    },
  };
}
