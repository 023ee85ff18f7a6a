import { inspect } from 'node:util';
import { REDACTED } from '../schema/secret.ts';
import { isPlainObject } from '../sources/flatten.ts';

/** A plain deep copy of `node` with the values at `secretPaths` (relative, split) replaced. */
export function redactedCopy(node: unknown, secretPaths: readonly (readonly string[])[]): unknown {
  if (!isPlainObject(node)) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const below = secretPaths.filter((p) => p[0] === key);
    if (below.some((p) => p.length === 1)) copy[key] = value === undefined ? undefined : REDACTED;
    else if (below.length > 0)
      copy[key] = redactedCopy(
        value,
        below.map((p) => p.slice(1)),
      );
    else copy[key] = value;
  }
  return copy;
}

/**
 * Makes `JSON.stringify` and `util.inspect` (so `console.log` and most loggers) of every object
 * that holds a secret print {@link REDACTED}, while property access still returns the real value.
 * The hooks are non-enumerable, so spreading or `Object.keys` never sees them.
 * Must run before the snapshot is frozen.
 */
export function installRedaction(root: Record<string, unknown>, secretPaths: readonly string[]): void {
  const split = secretPaths.map((p) => p.split('.'));
  const hook = (node: unknown, relative: readonly (readonly string[])[]): void => {
    if (!isPlainObject(node) || relative.length === 0) return;
    const redacted = (): unknown => redactedCopy(node, relative);
    Object.defineProperty(node, 'toJSON', { value: redacted, enumerable: false });
    Object.defineProperty(node, inspect.custom, {
      value: (_depth: number, options: object) => inspect(redacted(), options),
      enumerable: false,
    });
    const heads = new Set(relative.filter((p) => p.length > 1).map((p) => p[0] as string));
    for (const head of heads) {
      hook(
        node[head],
        relative.filter((p) => p[0] === head).map((p) => p.slice(1)),
      );
    }
  };
  hook(root, split);
}
