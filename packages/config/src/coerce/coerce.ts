import type { LeafKind } from '../schema/leaf-kind.ts';
import { coerceBoolean } from './boolean.ts';
import { coerceDuration } from './duration.ts';
import { coerceObject } from './json.ts';
import { coerceList } from './list.ts';
import { coerceBigInt, coerceInteger, coerceNumber } from './number.ts';
import { coerced, type CoerceResult } from './result.ts';

function coerceScalar(text: string, kind: LeafKind): CoerceResult {
  switch (kind) {
    case 'integer':
      return coerceInteger(text);
    case 'number':
      return coerceNumber(text);
    case 'boolean':
      return coerceBoolean(text);
    case 'duration':
      return coerceDuration(text);
    case 'bigint':
      return coerceBigInt(text);
    case 'object':
      return coerceObject(text);
    default:
      return coerced(text);
  }
}

/**
 * Turns a value from a source into the type its schema leaf expects. Only strings are coerced
 * (env vars, directory entries, Redis fields, string values in a JSON file); other values pass
 * through untouched for zod to check.
 */
export function coerce(value: unknown, kind: LeafKind, elementKind: LeafKind): CoerceResult {
  if (typeof value !== 'string') return coerced(value);
  if (kind === 'list') return coerceList(value, (item) => coerceScalar(item, elementKind));
  return coerceScalar(value, kind);
}
