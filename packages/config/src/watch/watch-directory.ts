import { watch, type FSWatcher } from 'node:fs';
import type { SourceWatch, SourceWatchSink } from '../source.ts';

/**
 * Watches a directory (not a file) and reports entries accepted by `accept`.
 *
 * Why the directory: Kubernetes mounts a ConfigMap or Secret as `key -> ..data/key` symlinks,
 * with `..data -> ..2026_11_28_…` swapped by writing a `..data_tmp` symlink and renaming it over
 * `..data`. A watch on the file itself follows the old inode and goes silent after the first
 * swap; editors that save by rename do the same. Events on the directory survive both.
 * `filename` may be null on some platforms; that is treated as "something changed".
 */
export function watchDirectory(
  directory: string,
  accept: (filename: string) => boolean,
  sink: SourceWatchSink,
): SourceWatch {
  let watcher: FSWatcher | undefined = watch(directory, { persistent: true }, (_event, filename) => {
    if (filename === null || accept(filename.toString())) sink.changed();
  });
  watcher.on('error', (error) => sink.error(error));
  return {
    close() {
      watcher?.close();
      watcher = undefined;
    },
  };
}

/** True for kubelet's own entries (`..data`, `..data_tmp`, `..2026_11_28_…`). */
export function isKubeletEntry(filename: string): boolean {
  return filename.startsWith('..');
}
