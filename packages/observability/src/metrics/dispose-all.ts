import type { Disposable } from './metrics-registry.ts';

/** One disposer for many; disposing twice is harmless. */
export function disposeAll(disposables: readonly Disposable[]): Disposable {
  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const d of disposables) d.dispose();
    },
  };
}
