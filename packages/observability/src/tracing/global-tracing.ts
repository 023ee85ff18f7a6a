import type { Tracing } from './tracing.ts';

// A registry symbol, not a module-level variable: the `--import` entry and the application may
// load two copies of this package (dist vs src, or a copied package), and both must find the
// one running SDK.
const key = Symbol.for('@shipshape/observability/tracing');

type WithTracing = typeof globalThis & { [key]?: Tracing };

/** The tracing started in this process by `startTracing` or the register entry, if any. */
export function getTracing(): Tracing | undefined {
  return (globalThis as WithTracing)[key];
}

/** Records (or with `undefined`, forgets) the process-wide tracing. Internal. */
export function setTracing(tracing: Tracing | undefined): void {
  if (tracing === undefined) delete (globalThis as WithTracing)[key];
  else (globalThis as WithTracing)[key] = tracing;
}

/**
 * Flushes pending spans and shuts the tracing SDK down, if one runs in this process; resolves
 * immediately otherwise. Give it to the graceful-shutdown closers as the last step, after the
 * HTTP server has drained, so that the spans of the last requests are exported.
 */
export async function shutdownTracing(): Promise<void> {
  await getTracing()?.shutdown();
}
