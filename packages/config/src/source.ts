import type { SchemaIndex } from './schema/schema-index.ts';

/** One value supplied by a source. */
export interface SourceValue {
  /**
   * The schema key it sets, as a dotted path (`payment.timeoutMs`). A path the schema does not
   * know is reported as an "unknown key" problem (see `ConfigOptions.unknownKeys`).
   */
  readonly path: string;
  /** A string (coerced by the key's schema), or an already typed value (from JSON). */
  readonly value: unknown;
  /** Where it came from, shown in describe() and errors: `env:PORT`, `file:/etc/app.json`. */
  readonly origin: string;
}

/** A problem a source found while reading (unreadable file, invalid JSON, …). */
export interface SourceProblem {
  /** The key concerned, or `''` when the problem is the source as a whole. */
  readonly path: string;
  readonly origin: string;
  readonly reason: string;
}

/** What one read of a source produced. */
export interface SourceReadResult {
  readonly values: readonly SourceValue[];
  readonly problems?: readonly SourceProblem[];
}

/** What a source may use while reading: the schema's keys and how names resolve to them. */
export interface SourceReadContext {
  readonly schema: SchemaIndex;
}

/** Where a watching source reports. */
export interface SourceWatchSink {
  /** The source may have new values: the config re-reads every source (debounced) and reloads. */
  changed(): void;
  /** Something went wrong in the background (a watcher died, Redis is unreachable, …). */
  error(error: unknown): void;
}

/** A running watch; `close()` releases every handle it holds. */
export interface SourceWatch {
  close(): void | Promise<void>;
}

/**
 * One layer of configuration. Sources are listed lowest precedence first; a later source's
 * value for a key wins. Implement this to add your own (a database, a vault, …).
 */
export interface ConfigSource {
  /**
   * A short, stable, low-cardinality label: `file`, `configmap`, `secrets`, `env`, `redis`.
   * It is the `source` of reload events (and so of `config_reloads_total{source}`).
   */
  readonly name: string;
  /**
   * Reads the current values. Called at load and on every reload (of any source), so it should
   * be cheap, or return values cached by its own watch.
   */
  read(context: SourceReadContext): SourceReadResult | Promise<SourceReadResult>;
  /** Starts watching for changes. Sources that cannot change (env) leave it out. */
  watch?(sink: SourceWatchSink): SourceWatch | Promise<SourceWatch>;
  /** Releases what `read` opened (connections). Called once by `config.close()`. */
  close?(): void | Promise<void>;
}
