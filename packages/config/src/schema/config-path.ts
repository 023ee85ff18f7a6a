type Primitive = string | number | boolean | bigint | symbol | null | undefined;
type Depth = [never, 0, 1, 2, 3, 4, 5, 6, 7];

/**
 * Every dotted path into `T`: `'payment' | 'payment.timeoutMs' | …`. Arrays and records are
 * leaves (their items are not settable keys). Limited to 8 levels to keep the checker fast.
 */
export type ConfigPath<T, D extends number = 8> = [D] extends [never]
  ? never
  : T extends Primitive | readonly unknown[] | Date
    ? never
    : {
        [K in keyof T & string]: NonNullable<T[K]> extends Primitive | readonly unknown[] | Date
          ? K
          : string extends keyof NonNullable<T[K]>
            ? K
            : K | `${K}.${ConfigPath<NonNullable<T[K]>, Depth[D]>}`;
      }[keyof T & string];

/** The type at a dotted path of `T`. */
export type ConfigPathValue<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? ConfigPathValue<NonNullable<T[Head]>, Rest> | (undefined extends T[Head] ? undefined : never)
    : never
  : P extends keyof T
    ? T[P]
    : never;
