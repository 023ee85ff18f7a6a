import type * as z from 'zod';
import { elementKindOf, leafKindOf, unwrap, type LeafKind } from './leaf-kind.ts';

/** One settable key of the schema: a field that is not itself an object of fields. */
export interface LeafInfo {
  /** Dotted path, e.g. `payment.timeoutMs`. */
  readonly path: string;
  readonly kind: LeafKind;
  /** For lists: how each comma-separated element is coerced. */
  readonly elementKind: LeafKind;
  readonly secret: boolean;
}

/**
 * Key names from files, directories, env vars and Redis match schema keys case-insensitively,
 * ignoring `_` and `-`: `TIMEOUT_MS`, `timeout-ms` and `timeoutMs` all name `timeoutMs`.
 */
export function normalizeSegment(segment: string): string {
  return segment.toLowerCase().replace(/[-_]/g, '');
}

/** `timeoutMs` → `TIMEOUT_MS`; `payment.timeoutMs` → `PAYMENT__TIMEOUT_MS` (nesting is `__`). */
export function envNameOf(path: string, prefix = ''): string {
  const segments = path.split('.').map((s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase());
  return prefix + segments.join('__');
}

/**
 * What the config needs to know about a zod object schema: its keys (leaves), which of them are
 * secret, how each is coerced from a string, and how loosely written names resolve to keys.
 */
export class SchemaIndex {
  /** Every settable key by dotted path, in schema order. */
  readonly leaves = new Map<string, LeafInfo>();
  /** Every group of keys (`payment`), plus `''` for the root. */
  readonly branches = new Set<string>(['']);
  /** Groups that are not optional, parents first: created empty so their fields' defaults apply. */
  readonly requiredBranches: string[] = [];
  readonly #children = new Map<string, Map<string, string>>();

  constructor(schema: z.core.$ZodType) {
    const { base } = unwrap(schema);
    if (base._zod.def.type !== 'object') {
      throw new TypeError(`schema must be a z.object(...), got z.${base._zod.def.type}()`);
    }
    this.#walk(schema, '', false);
  }

  /** The secret keys, as dotted paths. */
  get secretPaths(): string[] {
    return [...this.leaves.values()].filter((l) => l.secret).map((l) => l.path);
  }

  /**
   * Resolves loosely written segments (`['PAYMENT', 'TIMEOUT_MS']`) to a dotted key path
   * (`payment.timeoutMs`), or `undefined` when the schema has no such key or branch.
   */
  resolve(segments: readonly string[]): string | undefined {
    let path = '';
    for (const segment of segments) {
      const next = this.#children.get(path)?.get(normalizeSegment(segment));
      if (next === undefined) return undefined;
      path = next;
    }
    return path;
  }

  #walk(schema: z.core.$ZodType, path: string, inheritedSecret: boolean): void {
    const { base, secret, optional } = unwrap(schema);
    const isSecret = inheritedSecret || secret;
    const def = base._zod.def as z.core.$ZodObjectDef;
    if (def.type === 'object' && path !== '') {
      this.branches.add(path);
      if (!optional) this.requiredBranches.push(path);
    }
    if (def.type !== 'object') {
      this.leaves.set(path, {
        path,
        kind: leafKindOf(schema),
        elementKind: elementKindOf(schema),
        secret: isSecret,
      });
      return;
    }
    const children = new Map<string, string>();
    this.#children.set(path, children);
    for (const [key, child] of Object.entries(def.shape)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      children.set(normalizeSegment(key), childPath);
      this.#walk(child, childPath, isSecret);
    }
  }
}
