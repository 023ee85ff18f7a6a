import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseJson } from '../coerce/json.ts';
import type {
  ConfigSource,
  SourceReadContext,
  SourceReadResult,
  SourceWatch,
  SourceWatchSink,
} from '../source.ts';
import { isKubeletEntry, watchDirectory } from '../watch/watch-directory.ts';
import { flattenObject, isPlainObject } from './flatten.ts';

/** Options of {@link FileSource}. */
export interface FileSourceOptions {
  /** Path of the JSON file (`CONFIG_FILE`). */
  path: string;
  /** Label in reload events and origins. @default 'file' */
  name?: string;
  /** When true a missing file supplies nothing; when false it is a load error. @default false */
  optional?: boolean;
}

const defaults = { name: 'file', optional: false };

/**
 * A JSON file whose shape mirrors the schema (`{ "payment": { "timeoutMs": "2s" } }`).
 * Origins read `file:/abs/path.json`. Watches the file's directory, so atomic saves and
 * Kubernetes `..data` swaps are seen.
 */
export class FileSource implements ConfigSource {
  readonly name: string;
  readonly path: string;
  readonly #optional: boolean;

  constructor(options: FileSourceOptions) {
    const merged = { ...defaults, ...options };
    if (merged.path.trim() === '') throw new RangeError('FileSource path must not be empty');
    this.name = merged.name;
    this.path = resolve(merged.path);
    this.#optional = merged.optional;
  }

  async read(context: SourceReadContext): Promise<SourceReadResult> {
    const origin = `${this.name}:${this.path}`;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && this.#optional) return { values: [] };
      return {
        values: [],
        problems: [{ path: '', origin, reason: `cannot read the file (${code ?? String(error)})` }],
      };
    }
    const result = parseJson(text, 'a JSON object');
    if (!result.ok)
      return { values: [], problems: [{ path: '', origin, reason: 'the file is not valid JSON' }] };
    const parsed = result.value;
    if (!isPlainObject(parsed)) {
      return { values: [], problems: [{ path: '', origin, reason: 'the file must hold a JSON object' }] };
    }
    return { values: flattenObject(parsed, origin, context.schema) };
  }

  watch(sink: SourceWatchSink): SourceWatch {
    const file = basename(this.path);
    return watchDirectory(dirname(this.path), (entry) => entry === file || isKubeletEntry(entry), sink);
  }
}
