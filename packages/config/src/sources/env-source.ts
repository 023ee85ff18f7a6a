import type { ConfigSource, SourceReadContext, SourceReadResult, SourceValue } from '../source.ts';

/** Options of {@link EnvSource}. */
export interface EnvSourceOptions {
  /** The environment to read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * Only variables starting with this prefix are read, and the prefix is removed before
   * mapping (`APP_` makes `APP_PORT` set `port`). @default '' (every variable is considered)
   */
  prefix?: string;
  /** Label in origins. @default 'env' */
  name?: string;
}

/**
 * Environment variables. `__` separates nesting levels and names match keys case-insensitively
 * ignoring `_`: `PAYMENT__TIMEOUT_MS` sets `payment.timeoutMs`, `LOG_LEVEL` sets `logLevel`.
 * Variables that name no schema key are ignored (the environment is shared with everything else).
 * Read once: the environment of a running process does not change.
 */
export class EnvSource implements ConfigSource {
  readonly name: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #prefix: string;

  constructor(options: EnvSourceOptions = {}) {
    this.name = options.name ?? 'env';
    this.#env = { ...(options.env ?? process.env) };
    this.#prefix = options.prefix ?? '';
  }

  read(context: SourceReadContext): SourceReadResult {
    const values: SourceValue[] = [];
    for (const [variable, value] of Object.entries(this.#env)) {
      if (value === undefined || !variable.startsWith(this.#prefix)) continue;
      const path = context.schema.resolve(variable.slice(this.#prefix.length).split('__'));
      if (path === undefined || !context.schema.leaves.has(path)) continue;
      values.push({ path, value, origin: `${this.name}:${variable}` });
    }
    return { values };
  }
}
