import type { EventEmitter } from 'node:events';
import type { Context } from '@opentelemetry/api';
import { context } from '@opentelemetry/api';

// `process.getBuiltinModule`, not `import … from 'node:http'`: an ES import of node:http builds
// its namespace, and reading every export runs Node's lazy `http.WebSocket` getters, which load
// undici, tls, http2, zlib and worker_threads (≈60 ms of start-up here).
const { IncomingMessage, ServerResponse } = process.getBuiltinModule('node:http');

// A registry symbol, so that two copies of this package agree on where an object's context is.
const contextKey = Symbol.for('@shipshape/observability/emitter-context');

/** An `emit` function. */
export type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

interface WithContext {
  [contextKey]?: Context;
}

/**
 * Makes every listener of `emitter` (an inbound request or its response) run in `ctx`, whoever
 * added it and wherever the event comes from: a request body arriving in a later TCP packet is
 * emitted from the context of the connection, not the request's. Needs {@link useContextualEmit}.
 */
export function bindEmitterContext(emitter: object, ctx: Context): void {
  (emitter as WithContext)[contextKey] = ctx;
}

let users = 0;
let restore: (() => void) | undefined;

/**
 * Installs, while at least one caller uses it, ONE `emit` override on the prototypes of
 * `IncomingMessage` and `ServerResponse` that restores the context stored by
 * {@link bindEmitterContext}. `@opentelemetry/instrumentation-http` instead patches
 * `on`/`once`/`addListener` of each request and response and wraps each listener through a
 * WeakMap, which measured ≈30 µs per listener here. Returns the release function.
 */
export function useContextualEmit(): () => void {
  users += 1;
  if (users === 1) {
    const undo = [IncomingMessage, ServerResponse].map((type) => patchEmit(type.prototype, contextualEmit));
    restore = () => undo.forEach((fn) => fn());
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    users -= 1;
    if (users === 0) restore?.();
  };
}

function contextualEmit(emit: Emit): Emit {
  return function emitInContext(this: unknown, event, ...args) {
    const stored = (this as WithContext)[contextKey];
    // An event nobody listens to needs no context: a request emits 'readable', 'end' and
    // 'close' from the connection's context, and usually only 'end' has a listener. Each
    // `context.with` builds a new AsyncLocalStorage frame.
    if (
      stored === undefined ||
      (this as EventEmitter).listenerCount(event) === 0 ||
      stored === context.active()
    ) {
      return emit.apply(this, [event, ...args]);
    }
    return context.with(stored, emit, this, event, ...args);
  };
}

/** Replaces `emit` on a prototype; the returned function puts back what was there. */
export function patchEmit(proto: object, wrap: (emit: Emit) => Emit): () => void {
  const target = proto as { emit: Emit };
  const own = Object.getOwnPropertyDescriptor(proto, 'emit');
  const patched = wrap(target.emit);
  target.emit = patched;
  return () => {
    if (target.emit !== patched) return;
    if (own === undefined) delete (target as { emit?: Emit }).emit;
    else Object.defineProperty(proto, 'emit', own);
  };
}
