import type { ConfigValidationError } from './errors/config-validation-error.ts';

/** How a reload ended: applied, rejected (last good snapshot kept), or nothing changed. */
export type ReloadOutcome = 'success' | 'failure' | 'unchanged';

/**
 * Emitted after every reload: the payload of `config_reloads_total{source,outcome}`.
 * `source` is the name of the source whose change triggered it (`file`, `configmap`,
 * `secrets`, `redis`, …) or `manual` for `config.reload()`.
 */
export interface ReloadEvent {
  readonly source: string;
  readonly outcome: ReloadOutcome;
  /** Set when `outcome` is `failure`. */
  readonly error?: ConfigValidationError;
}

/** A change to a static key was seen and not applied (the process must restart to use it). */
export interface StaticChangeEvent {
  /** The static key as declared, e.g. `port`. */
  readonly key: string;
  /** The source whose change triggered the reload. */
  readonly source: string;
  /** The value in force (redacted if secret). */
  readonly current: unknown;
  /** The value that was not applied (redacted if secret). */
  readonly rejected: unknown;
}

/** Gets the new and the previous value of the watched path. */
export type ChangeListener<V> = (next: V, prev: V) => void;
