// @shipshape/config — schema-first, layered, hot-reloaded configuration.
// The Redis source lives in '@shipshape/config/redis' so that ioredis stays optional.

// Loading and reading
export { Config, loadConfig } from './config.ts';
export type { ConfigOptions } from './config-options.ts';
export type { ChangeListener, ReloadEvent, ReloadOutcome, StaticChangeEvent } from './config-events.ts';
export type { ConfigDescription, DescribedValue } from './describe.ts';
export type { Disposable, Event } from './events/emitter.ts';

// Schema helpers
export { secret, REDACTED } from './schema/secret.ts';
export { duration } from './schema/duration.ts';
export { envNameOf } from './schema/schema-index.ts';
export type { ConfigPath, ConfigPathValue } from './schema/config-path.ts';
export type { Frozen } from './schema/frozen.ts';

// Sources
export type {
  ConfigSource,
  SourceProblem,
  SourceReadContext,
  SourceReadResult,
  SourceValue,
  SourceWatch,
  SourceWatchSink,
} from './source.ts';
export { defaultSources, type DefaultSourcesOptions } from './sources/default-sources.ts';
export { FileSource, type FileSourceOptions } from './sources/file-source.ts';
export { DirectorySource, type DirectorySourceOptions } from './sources/directory-source.ts';
export { EnvSource, type EnvSourceOptions } from './sources/env-source.ts';
export { ValuesSource, type ValuesSourceOptions } from './sources/values-source.ts';
export { flattenObject } from './sources/flatten.ts';
export type { SchemaIndex, LeafInfo } from './schema/schema-index.ts';
export type { LeafKind } from './schema/leaf-kind.ts';

// Errors
export {
  ConfigValidationError,
  isConfigValidationError,
  type ConfigProblem,
} from './errors/config-validation-error.ts';
export { exitOnConfigError, type ExitOnConfigErrorOptions } from './errors/exit-on-config-error.ts';
