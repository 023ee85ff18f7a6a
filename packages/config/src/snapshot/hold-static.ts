import { isDeepStrictEqual } from 'node:util';
import { REDACTED } from '../schema/secret.ts';
import type { SchemaIndex } from '../schema/schema-index.ts';
import { setValueAt, valueAt } from './deep-freeze.ts';

/** A static key whose new value was held back. */
export interface HeldChange {
  readonly key: string;
  readonly current: unknown;
  readonly rejected: unknown;
}

/**
 * Puts the running value of every static key back into `next` (and its origins into
 * `nextOrigins`) where a reload would change it, and reports each one held back.
 */
export function holdStatic(
  next: Record<string, unknown>,
  nextOrigins: Map<string, string>,
  current: unknown,
  currentOrigins: ReadonlyMap<string, string>,
  staticPaths: readonly string[],
  index: SchemaIndex,
): HeldChange[] {
  const held: HeldChange[] = [];
  for (const key of staticPaths) {
    const running = valueAt(current, key);
    const incoming = valueAt(next, key);
    if (isDeepStrictEqual(running, incoming)) continue;
    if (running === undefined) removeAt(next, key);
    else setValueAt(next, key, structuredClone(running));
    const leaves = [...index.leaves.values()].filter((l) => l.path === key || l.path.startsWith(`${key}.`));
    for (const leaf of leaves) {
      const origin = currentOrigins.get(leaf.path);
      if (origin === undefined) nextOrigins.delete(leaf.path);
      else nextOrigins.set(leaf.path, origin);
    }
    const secret = leaves.some((l) => l.secret);
    held.push({ key, current: secret ? REDACTED : running, rejected: secret ? REDACTED : incoming });
  }
  return held;
}

function removeAt(root: Record<string, unknown>, path: string): void {
  const segments = path.split('.');
  const last = segments.pop() as string;
  const parent = valueAt(root, segments.join('.'));
  if (typeof parent === 'object' && parent !== null) delete (parent as Record<string, unknown>)[last];
}
