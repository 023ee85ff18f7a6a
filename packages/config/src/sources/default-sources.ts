import type { ConfigSource } from '../source.ts';
import { DirectorySource } from './directory-source.ts';
import { EnvSource } from './env-source.ts';
import { FileSource } from './file-source.ts';

/** Options of {@link defaultSources}. */
export interface DefaultSourcesOptions {
  /** Where `CONFIG_FILE`, `CONFIG_DIR`, `SECRETS_DIR` and the settings are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Prefix of the env vars that set keys. @default '' */
  envPrefix?: string;
}

/**
 * The standard layers, lowest first: the JSON file at `CONFIG_FILE` (name `file`), the
 * ConfigMap directory `CONFIG_DIR` (`configmap`), the Secret directory `SECRETS_DIR`
 * (`secrets`), then env vars (`env`). Unset variables leave their layer out; a variable naming
 * a missing file or directory is a load error. Append a `RedisSource` for runtime overrides.
 */
export function defaultSources(options: DefaultSourcesOptions = {}): ConfigSource[] {
  const env = options.env ?? process.env;
  const sources: ConfigSource[] = [];
  if (env['CONFIG_FILE']) sources.push(new FileSource({ path: env['CONFIG_FILE'], name: 'file' }));
  if (env['CONFIG_DIR']) sources.push(new DirectorySource({ path: env['CONFIG_DIR'], name: 'configmap' }));
  if (env['SECRETS_DIR']) sources.push(new DirectorySource({ path: env['SECRETS_DIR'], name: 'secrets' }));
  sources.push(new EnvSource({ env, prefix: options.envPrefix ?? '' }));
  return sources;
}
