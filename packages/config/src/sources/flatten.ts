import type { SchemaIndex } from '../schema/schema-index.ts';
import type { SourceValue } from '../source.ts';

/**
 * Turns a nested object (a parsed JSON file) into one value per schema key. Object-typed leaves
 * (records, JSON objects) are taken whole: they are replaced by a higher source, never merged.
 * Keys the schema does not know come back as their written path, to be reported as unknown.
 */
export function flattenObject(input: object, origin: string, schema: SchemaIndex): SourceValue[] {
  const values: SourceValue[] = [];
  const visit = (node: object, written: string[]): void => {
    for (const [key, value] of Object.entries(node)) {
      const segments = [...written, key];
      const path = schema.resolve(segments);
      if (path !== undefined && schema.branches.has(path) && isPlainObject(value)) {
        visit(value, segments);
      } else {
        values.push({ path: path ?? segments.join('.'), value, origin });
      }
    }
  };
  visit(input, []);
  return values;
}

/** True for `{}`-style objects (not arrays, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
