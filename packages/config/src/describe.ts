import { REDACTED } from './schema/secret.ts';
import type { SchemaIndex } from './schema/schema-index.ts';
import { valueAt } from './snapshot/deep-freeze.ts';

/** One effective value and who supplied it. */
export interface DescribedValue {
  /** The value, or {@link REDACTED} for a secret. */
  readonly value: unknown;
  /** `default`, or the origin of the source that won: `env:PORT`, `file:/etc/app.json`, … */
  readonly source: string;
}

/** Every key with a value, as a dotted path (`payment.timeoutMs`). The body of `GET /config`. */
export type ConfigDescription = Readonly<Record<string, DescribedValue>>;

/** Lists every key that has a value, in schema order, secrets redacted. */
export function describeSnapshot(
  snapshot: unknown,
  origins: ReadonlyMap<string, string>,
  index: SchemaIndex,
): ConfigDescription {
  const description: Record<string, DescribedValue> = {};
  for (const leaf of index.leaves.values()) {
    const value = valueAt(snapshot, leaf.path);
    if (value === undefined) continue;
    description[leaf.path] = {
      value: leaf.secret ? REDACTED : structuredCloneSafe(value),
      source: origins.get(leaf.path) ?? 'default',
    };
  }
  return Object.freeze(description);
}

function structuredCloneSafe(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}
