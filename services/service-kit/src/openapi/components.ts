import { z } from 'zod';

/** A JSON Schema or OpenAPI object; the document is plain JSON. */
export type JsonObject = { [key: string]: unknown };

/** The `$ref` of a named schema under `components.schemas`. */
export const componentRef = (id: string): string => `#/components/schemas/${id}`;

/**
 * Emits one registry of named schemas as `components.schemas`. Requests are described as the
 * client may send them (`io: 'input'`: defaults optional), responses as the server sends them.
 * zod 4 emits JSON Schema 2020-12, which is OpenAPI 3.1's schema dialect, so the output is used
 * as-is apart from dropping `$schema` and `$id`.
 */
export function components(
  io: 'input' | 'output',
  named: Readonly<Record<string, z.ZodType>>,
): Record<string, JsonObject> {
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

/** An `application/json` content map referencing the named component schema. */
export const jsonContent = (ref: string): JsonObject => ({
  'application/json': { schema: { $ref: componentRef(ref) } },
});
