type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/**
 * The type of a snapshot: what `z.output` gives, made read-only all the way down, because the
 * snapshot is deeply frozen at runtime. Mutating it is a compile error instead of a TypeError.
 */
export type Frozen<T> = T extends Primitive | Date | ((...args: never[]) => unknown)
  ? T
  : T extends ReadonlyArray<infer U>
    ? ReadonlyArray<Frozen<U>>
    : T extends ReadonlyMap<infer K, infer V>
      ? ReadonlyMap<K, Frozen<V>>
      : T extends ReadonlySet<infer U>
        ? ReadonlySet<Frozen<U>>
        : { readonly [K in keyof T]: Frozen<T[K]> };
