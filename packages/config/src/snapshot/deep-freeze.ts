/** Freezes `value` and everything reachable from it; returns it for chaining. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return Object.freeze(value);
}

/** The value at a dotted path (`''` is the root). */
export function valueAt(root: unknown, path: string): unknown {
  return path === '' ? root : valueAtSegments(root, path.split('.'));
}

/** The value at an already split path. */
export function valueAtSegments(root: unknown, segments: readonly string[]): unknown {
  let node = root;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Sets the value at a dotted path, creating objects on the way. */
export function setValueAt(root: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  const last = segments.pop() as string;
  let node = root;
  for (const segment of segments) {
    const next = node[segment];
    if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
    else node = node[segment] = {};
  }
  node[last] = value;
}
