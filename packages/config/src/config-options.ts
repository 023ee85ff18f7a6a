import type * as z from 'zod';
import type { ConfigPath } from './schema/config-path.ts';
import type { ConfigSource } from './source.ts';

/** Options of {@link Config} and {@link loadConfig}. */
export interface ConfigOptions<S extends z.ZodType> {
  /** A `z.object(...)` describing every setting; `.default()`s are the lowest layer. */
  schema: S;
  /**
   * The layers, lowest precedence first.
   * @default defaultSources({ env, envPrefix }): `CONFIG_FILE` < `CONFIG_DIR` < `SECRETS_DIR` < env
   */
  sources?: readonly ConfigSource[];
  /** The environment the default sources read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Prefix of the env vars that set keys (`APP_` → `APP_PORT`). @default '' */
  envPrefix?: string;
  /**
   * Keys (or groups) that cannot change at runtime, e.g. `port`. A reload that would change one
   * keeps the running value and emits `onStaticChange`. @default []
   */
  static?: readonly ConfigPath<z.output<S>>[];
  /** Quiet time after a source reports a change before reloading, in ms. @default 100 */
  debounceMs?: number;
  /** Watch sources for changes after the first load. @default true */
  watch?: boolean;
  /**
   * What to do with keys a file, directory or Redis supplies that the schema does not know:
   * `error` catches typos; `ignore` suits shared ConfigMaps. Env vars are never reported.
   * @default 'error'
   */
  unknownKeys?: 'error' | 'ignore';
}

/** The defaults merged under every {@link ConfigOptions}. */
export const configDefaults = {
  envPrefix: '',
  static: [] as readonly string[],
  debounceMs: 100,
  watch: true,
  unknownKeys: 'error' as 'error' | 'ignore',
};
