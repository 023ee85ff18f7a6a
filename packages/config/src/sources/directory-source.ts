import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type {
  ConfigSource,
  SourceProblem,
  SourceReadContext,
  SourceReadResult,
  SourceValue,
  SourceWatch,
  SourceWatchSink,
} from '../source.ts';
import { watchDirectory } from '../watch/watch-directory.ts';

/** Options of {@link DirectorySource}. */
export interface DirectorySourceOptions {
  /** The mounted directory (`CONFIG_DIR` or `SECRETS_DIR`). */
  path: string;
  /** Label in reload events and origins, e.g. `configmap` or `secrets`. @default 'directory' */
  name?: string;
  /** When true a missing directory supplies nothing; when false it is a load error. @default false */
  optional?: boolean;
}

const defaults = { name: 'directory', optional: false };

/**
 * A Kubernetes ConfigMap or Secret mounted as a directory: one file per key, the file name is
 * the key (`payment.timeoutMs` or `PAYMENT__TIMEOUT_MS`), the content is the value (trailing
 * newlines dropped). Entries starting with `.` (kubelet's `..data` machinery, dotfiles) are
 * skipped; symlinks are followed. Origins read `configmap:/etc/config/payment.timeoutMs`.
 */
export class DirectorySource implements ConfigSource {
  readonly name: string;
  readonly path: string;
  readonly #optional: boolean;

  constructor(options: DirectorySourceOptions) {
    const merged = { ...defaults, ...options };
    if (merged.path.trim() === '') throw new RangeError('DirectorySource path must not be empty');
    this.name = merged.name;
    this.path = resolve(merged.path);
    this.#optional = merged.optional;
  }

  async read(context: SourceReadContext): Promise<SourceReadResult> {
    let entries: string[];
    try {
      entries = await readdir(this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && this.#optional) return { values: [] };
      const reason = `cannot read the directory (${code ?? String(error)})`;
      return { values: [], problems: [{ path: '', origin: `${this.name}:${this.path}`, reason }] };
    }
    const values: SourceValue[] = [];
    const problems: SourceProblem[] = [];
    for (const entry of entries.sort()) {
      if (entry.startsWith('.')) continue;
      const file = join(this.path, entry);
      const origin = `${this.name}:${file}`;
      try {
        // stat follows the `key -> ..data/key` symlink; nested directories are not keys.
        if (!(await stat(file)).isFile()) continue;
        const text = (await readFile(file, 'utf8')).replace(/(?:\r?\n)+$/, '');
        const segments = entry.includes('.') ? entry.split('.') : entry.split('__');
        values.push({ path: context.schema.resolve(segments) ?? entry, value: text, origin });
      } catch (error) {
        // An entry can vanish between readdir and read while kubelet swaps `..data`; the swap
        // fires another event and the next read sees the complete new set.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT')
          problems.push({ path: '', origin, reason: `cannot read (${code ?? String(error)})` });
      }
    }
    return { values, problems };
  }

  watch(sink: SourceWatchSink): SourceWatch {
    return watchDirectory(this.path, () => true, sink);
  }
}
