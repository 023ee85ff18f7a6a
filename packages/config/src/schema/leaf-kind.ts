import type * as z from 'zod';
import { markersOf } from './markers.ts';

/** How a string from an env var, a file in a directory or Redis is turned into a typed value. */
export type LeafKind =
  'string' | 'integer' | 'number' | 'boolean' | 'duration' | 'bigint' | 'list' | 'object' | 'other';

/** A schema node with its wrappers (optional, default, pipe, …) peeled off. */
export interface UnwrappedSchema {
  readonly base: z.core.$ZodType;
  readonly secret: boolean;
  readonly duration: boolean;
  /** Some layer was `.optional()` or `.nullable()`: the field may be absent. */
  readonly optional: boolean;
}

type Def = z.core.$ZodTypeDef & Record<string, unknown>;

const wrappers = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/** Peels wrappers off `schema`, collecting the markers found on every layer. */
export function unwrap(schema: z.core.$ZodType): UnwrappedSchema {
  let node = schema;
  let secret = false;
  let duration = false;
  let optional = false;
  for (;;) {
    const markers = markersOf(node);
    secret ||= markers.secret === true;
    duration ||= markers.duration === true;
    const def = node._zod.def as Def;
    optional ||= def.type === 'optional' || def.type === 'nullable';
    if (wrappers.has(def.type)) node = def['innerType'] as z.core.$ZodType;
    else if (def.type === 'pipe') node = def['in'] as z.core.$ZodType;
    else return { base: node, secret, duration, optional };
  }
}

/** The coercion kind of a leaf schema (anything that is not a plain object of fields). */
export function leafKindOf(schema: z.core.$ZodType): LeafKind {
  const { base, duration } = unwrap(schema);
  const def = base._zod.def as Def;
  switch (def.type) {
    case 'number': {
      if (duration) return 'duration';
      const format = (base as { format?: string | null }).format ?? '';
      return format.includes('int') ? 'integer' : 'number';
    }
    case 'boolean':
      return 'boolean';
    case 'bigint':
      return 'bigint';
    case 'string':
    case 'enum':
    case 'template_literal':
      return 'string';
    case 'literal':
      return literalKind(def['values'] as readonly unknown[]);
    case 'array':
    case 'tuple':
    case 'set':
      return 'list';
    case 'object':
    case 'record':
    case 'map':
      return 'object';
    case 'union': {
      const kinds = new Set((def['options'] as z.core.$ZodType[]).map(leafKindOf));
      const [only] = kinds;
      return kinds.size === 1 && only ? only : 'other';
    }
    default:
      return 'other';
  }
}

/** The element kind of a list leaf (`z.array(z.number())` → `number`). */
export function elementKindOf(schema: z.core.$ZodType): LeafKind {
  const def = unwrap(schema).base._zod.def as Def;
  return def.type === 'array' ? leafKindOf(def['element'] as z.core.$ZodType) : 'other';
}

function literalKind(values: readonly unknown[]): LeafKind {
  if (values.every((v) => typeof v === 'number')) return 'number';
  if (values.every((v) => typeof v === 'boolean')) return 'boolean';
  return values.every((v) => typeof v === 'string') ? 'string' : 'other';
}
