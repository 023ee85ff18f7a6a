import { inspect, isDeepStrictEqual } from 'node:util';
import type * as z from 'zod';
import type { ChangeListener, ReloadEvent, StaticChangeEvent } from './config-events.ts';
import { configDefaults, type ConfigOptions } from './config-options.ts';
import { describeSnapshot, type ConfigDescription } from './describe.ts';
import { ConfigValidationError } from './errors/config-validation-error.ts';
import { Emitter, type Disposable } from './events/emitter.ts';
import type { ConfigPath, ConfigPathValue } from './schema/config-path.ts';
import type { Frozen } from './schema/frozen.ts';
import { SchemaIndex } from './schema/schema-index.ts';
import { buildSnapshot, type BuildResult } from './snapshot/build-snapshot.ts';
import { valueAt, valueAtSegments } from './snapshot/deep-freeze.ts';
import { finalizeSnapshot } from './snapshot/finalize-snapshot.ts';
import { holdStatic } from './snapshot/hold-static.ts';
import type { ConfigSource, SourceReadResult, SourceWatch } from './source.ts';
import { defaultSources } from './sources/default-sources.ts';

/** The snapshot and the origin of each value, swapped together as one reference. */
interface State<T> {
  readonly snapshot: T;
  readonly origins: ReadonlyMap<string, string>;
}

type Lifecycle = 'created' | 'loading' | 'running' | 'closed';

/**
 * Typed, layered configuration. `load()` reads every source, validates once and freezes the
 * result; `get()` then returns that snapshot with no I/O. While running, watched sources trigger
 * debounced reloads that build, validate and swap a complete new snapshot, or keep the last good
 * one and report why. `close()` releases every watcher, timer and connection.
 */
export class Config<S extends z.ZodType> {
  readonly #options: Required<Omit<ConfigOptions<S>, 'sources' | 'env' | 'static'>> & {
    static: readonly string[];
  };
  readonly #sources: readonly ConfigSource[];
  readonly #index: SchemaIndex;
  #state: State<z.output<S>> | undefined;
  #lifecycle: Lifecycle = 'created';
  #chain: Promise<unknown> = Promise.resolve();
  readonly #watches: SourceWatch[] = [];
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #errors = new Emitter<Error>();
  readonly #reloads = new Emitter<ReloadEvent>((e) => this.#reportError(e));
  readonly #staticChanges = new Emitter<StaticChangeEvent>((e) => this.#reportError(e));
  readonly #segments = new Map<string, readonly string[]>();
  readonly #changes = new Set<{ path: string; listener: ChangeListener<unknown> }>();

  constructor(options: ConfigOptions<S>) {
    const merged = { ...configDefaults, ...options };
    if (!Number.isFinite(merged.debounceMs) || merged.debounceMs < 0) {
      throw new RangeError(`debounceMs must be a finite number >= 0, got ${merged.debounceMs}`);
    }
    if (merged.unknownKeys !== 'error' && merged.unknownKeys !== 'ignore') {
      throw new RangeError(`unknownKeys must be 'error' or 'ignore', got ${String(merged.unknownKeys)}`);
    }
    this.#index = new SchemaIndex(merged.schema);
    for (const key of merged.static) {
      if (!this.#index.leaves.has(key) && !this.#index.branches.has(key)) {
        throw new RangeError(`static key ${JSON.stringify(key)} is not in the schema`);
      }
    }
    this.#sources = options.sources ?? defaultSources({ env: options.env, envPrefix: merged.envPrefix });
    this.#options = merged;
  }

  /** Reloads that ran: the data of `config_reloads_total{source,outcome}`. */
  readonly onReload = this.#reloads.event;
  /**
   * Background problems: an invalid reload (a {@link ConfigValidationError}), a dead watcher,
   * Redis unreachable. Without any listener they are printed as process warnings. Subscribe
   * before `load()` (`new Config(…)`) to also get errors raised while loading starts watchers.
   */
  readonly onError = this.#errors.event;
  /** A reload tried to change a static key; the running value was kept. */
  readonly onStaticChange = this.#staticChanges.event;

  /**
   * Reads every source, validates, and starts watching (unless `watch: false`).
   * @throws ConfigValidationError listing every problem; the process should not start.
   */
  async load(): Promise<this> {
    if (this.#lifecycle !== 'created')
      throw new Error(`load() can run once; the config is ${this.#lifecycle}`);
    this.#lifecycle = 'loading';
    const result = await this.#build();
    if (!result.ok) {
      // Terminal: release what the sources opened (Redis connections), so a process that
      // reports the error and returns can exit. Retry with a new Config.
      await this.close();
      throw new ConfigValidationError(result.problems);
    }
    this.#state = { snapshot: finalizeSnapshot(result.value, this.#index), origins: result.origins };
    this.#lifecycle = 'running';
    if (this.#options.watch) await this.#startWatching();
    return this;
  }

  /** The current snapshot: deeply frozen, no I/O. Keep calling it; do not cache the result. */
  get(): Frozen<z.output<S>>;
  /** The current value at a dotted path, e.g. `get('payment.timeoutMs')`. */
  get<P extends ConfigPath<z.output<S>>>(path: P): Frozen<ConfigPathValue<z.output<S>, P>>;
  get(path?: string): unknown {
    const state = this.#state;
    if (state === undefined) throw new Error('the config is not loaded: await config.load() first');
    if (path === undefined) return state.snapshot;
    return valueAtSegments(state.snapshot, this.#segmentsOf(path));
  }

  /** Split paths cached per schema key, so `get('a.b')` on a hot path does not re-split. */
  #segmentsOf(path: string): readonly string[] {
    let segments = this.#segments.get(path);
    if (segments === undefined) {
      segments = path.split('.');
      if (this.#index.leaves.has(path) || this.#index.branches.has(path)) this.#segments.set(path, segments);
    }
    return segments;
  }

  /**
   * Calls `listener(next, prev)` after a reload changes the value at `path` (`''` or `'*'`:
   * any change, with whole snapshots).
   */
  onChange<P extends ConfigPath<z.output<S>>>(
    path: P,
    listener: ChangeListener<Frozen<ConfigPathValue<z.output<S>, P>>>,
  ): Disposable;
  onChange(path: '' | '*', listener: ChangeListener<Frozen<z.output<S>>>): Disposable;
  onChange(path: string, listener: ChangeListener<never>): Disposable {
    const entry = { path: path === '*' ? '' : path, listener: listener as ChangeListener<unknown> };
    this.#changes.add(entry);
    return { dispose: () => void this.#changes.delete(entry) };
  }

  /** Every key with a value and its source, secrets redacted: the body of `GET /config`. */
  describe(): ConfigDescription {
    const state = this.#state;
    return state === undefined ? {} : describeSnapshot(state.snapshot, state.origins, this.#index);
  }

  /** Serialises as {@link describe} (secrets redacted). */
  toJSON(): ConfigDescription {
    return this.describe();
  }

  /** `console.log(config)` prints {@link describe} (secrets redacted). */
  [inspect.custom](_depth: number, options: object): string {
    return `Config ${inspect(this.describe(), options)}`;
  }

  /** Re-reads every source now and applies the result like a watched change would. */
  reload(source = 'manual'): Promise<ReloadEvent> {
    // Never rejects, so one unexpected failure cannot break the chain for every later reload.
    const run = this.#chain.then(
      () => this.#reload(source),
      () => this.#reload(source),
    );
    const settled = run.catch((error: unknown) => {
      const failure = new ConfigValidationError([{ key: '', source, reason: asError(error).message }]);
      this.#reportError(failure);
      return this.#emitReload({ source, outcome: 'failure', error: failure });
    });
    this.#chain = settled;
    return settled;
  }

  /** Stops every watcher, timer and subscription, and closes the sources. Idempotent. */
  async close(): Promise<void> {
    if (this.#lifecycle === 'closed') return;
    this.#lifecycle = 'closed';
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await this.#chain;
    await Promise.allSettled(this.#watches.splice(0).map(async (w) => w.close()));
    await Promise.allSettled(this.#sources.map(async (s) => s.close?.()));
    this.#changes.clear();
  }

  async #build(): Promise<BuildResult> {
    const context = { schema: this.#index };
    const reads = await Promise.all(
      this.#sources.map(async (source): Promise<SourceReadResult> => {
        try {
          return await source.read(context);
        } catch (error) {
          return {
            values: [],
            problems: [{ path: '', origin: source.name, reason: asError(error).message }],
          };
        }
      }),
    );
    return buildSnapshot({
      schema: this.#options.schema,
      index: this.#index,
      reads,
      unknownKeys: this.#options.unknownKeys,
      envPrefix: this.#options.envPrefix,
    });
  }

  async #reload(source: string): Promise<ReloadEvent> {
    const current = this.#state;
    if (this.#lifecycle !== 'running' || current === undefined) return { source, outcome: 'unchanged' };
    const result = await this.#build();
    if (this.#lifecycle !== 'running') return { source, outcome: 'unchanged' };
    if (!result.ok) {
      const error = new ConfigValidationError(result.problems);
      this.#reportError(error);
      return this.#emitReload({ source, outcome: 'failure', error });
    }
    const origins = new Map(result.origins);
    const held = holdStatic(
      result.value,
      origins,
      current.snapshot,
      current.origins,
      this.#options.static,
      this.#index,
    );
    for (const change of held) this.#staticChanges.emit({ ...change, source });
    const next: State<z.output<S>> = { snapshot: finalizeSnapshot(result.value, this.#index), origins };
    this.#state = next;
    if (isDeepStrictEqual(next.snapshot, current.snapshot))
      return this.#emitReload({ source, outcome: 'unchanged' });
    this.#notifyChanges(next.snapshot, current.snapshot);
    return this.#emitReload({ source, outcome: 'success' });
  }

  #emitReload(event: ReloadEvent): ReloadEvent {
    this.#reloads.emit(event);
    return event;
  }

  #notifyChanges(next: unknown, prev: unknown): void {
    for (const { path, listener } of [...this.#changes]) {
      const after = valueAt(next, path);
      const before = valueAt(prev, path);
      if (isDeepStrictEqual(after, before)) continue;
      try {
        listener(after, before);
      } catch (error) {
        this.#reportError(error);
      }
    }
  }

  /** Errors nobody listens for become process warnings rather than vanishing. */
  #reportError(error: unknown): void {
    if (this.#errors.size > 0) this.#errors.emit(asError(error));
    else process.emitWarning(asError(error).message, 'ConfigWarning');
  }

  async #startWatching(): Promise<void> {
    for (const source of this.#sources) {
      if (!source.watch) continue;
      try {
        this.#watches.push(
          await source.watch({
            changed: () => this.#schedule(source.name),
            error: (error) => this.#reportError(error),
          }),
        );
      } catch (error) {
        this.#reportError(error);
      }
    }
  }

  #schedule(source: string): void {
    if (this.#lifecycle !== 'running') return;
    clearTimeout(this.#timers.get(source));
    const timer = setTimeout(() => {
      this.#timers.delete(source);
      void this.reload(source);
    }, this.#options.debounceMs);
    this.#timers.set(source, timer);
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** Creates a {@link Config} and loads it. @throws ConfigValidationError */
export function loadConfig<S extends z.ZodType>(options: ConfigOptions<S>): Promise<Config<S>> {
  return new Config(options).load();
}
