import { z } from 'zod';
import type { JsonObject } from './components.ts';

/** Where an OpenAPI parameter travels. */
export type ParameterLocation = 'query' | 'path' | 'header';

/**
 * Query, path or header parameters from the fields of a zod object. Path parameters are always
 * required (OpenAPI says so); the others are required when the field rejects `undefined`.
 */
export function parameters(where: ParameterLocation, schema: z.ZodObject): JsonObject[] {
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
