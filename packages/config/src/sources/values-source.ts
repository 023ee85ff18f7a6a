import type { ConfigSource, SourceReadContext, SourceReadResult } from '../source.ts';
import { flattenObject } from './flatten.ts';

/** Options of {@link ValuesSource}. */
export interface ValuesSourceOptions {
  /** A nested object shaped like the schema. */
  values: object;
  /** Label in reload events and origins. @default 'values' */
  name?: string;
}

/**
 * Fixed values given in code, e.g. per-environment defaults or values in tests. Schema
 * `.default(...)`s need no source: they apply below every source and show as `default`.
 */
export class ValuesSource implements ConfigSource {
  readonly name: string;
  readonly #values: object;

  constructor(options: ValuesSourceOptions) {
    this.name = options.name ?? 'values';
    this.#values = options.values;
  }

  read(context: SourceReadContext): SourceReadResult {
    return { values: flattenObject(this.#values, this.name, context.schema) };
  }
}
