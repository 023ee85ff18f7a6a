/**
 * One AbortSignal that aborts when any of its sources does, with listeners that are removed on
 * `dispose`. Used instead of `AbortSignal.any` for per-charge signals. Node's sources hold an
 * `AbortSignal.any` result only through weak references, and Node pins the result only while a
 * non-weak `abort` listener is attached to it, so its lifetime depends on the garbage collector
 * and on how each layer below listens; and every result stays registered on the long-lived
 * pipeline signal until it is collected. A controller with plain listeners, removed when the
 * charge ends, is reached by every abort while the charge runs and leaves nothing behind.
 */

/** A signal linked to its sources; call `dispose` when the work it guards has ended. */
export interface LinkedSignal {
  /** Undefined when there were no sources. */
  readonly signal: AbortSignal | undefined;
  /** Stops following the sources (idempotent). */
  dispose(): void;
}

/** Links `sources` (undefined entries are skipped) into one signal. */
export function linkSignals(sources: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const present = sources.filter((s): s is AbortSignal => s !== undefined);
  if (present.length === 0) return { signal: undefined, dispose: () => undefined };
  if (present.length === 1) return { signal: present[0], dispose: () => undefined };
  const controller = new AbortController();
  const already = present.find((s) => s.aborted);
  if (already) {
    controller.abort(already.reason);
    return { signal: controller.signal, dispose: () => undefined };
  }
  const listeners = present.map((source) => {
    const onAbort = (): void => controller.abort(source.reason);
    source.addEventListener('abort', onAbort, { once: true });
    return () => source.removeEventListener('abort', onAbort);
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const remove of listeners.splice(0)) remove();
    },
  };
}
