import type { SchemaIndex } from '../schema/schema-index.ts';
import { deepFreeze } from './deep-freeze.ts';
import { installRedaction } from './redact.ts';

/**
 * Turns validated output into the snapshot readers get: a private deep copy (zod may hand back
 * a `.default([])` array shared with the schema), with redaction hooks, deeply frozen.
 */
export function finalizeSnapshot<T>(value: Record<string, unknown>, index: SchemaIndex): T {
  let copy: Record<string, unknown>;
  try {
    copy = structuredClone(value);
  } catch {
    // Values structuredClone refuses (class instances from z.instanceof) are kept as they are.
    copy = { ...value };
  }
  installRedaction(copy, index.secretPaths);
  return deepFreeze(copy) as T;
}
