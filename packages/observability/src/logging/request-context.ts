import { AsyncLocalStorage } from 'node:async_hooks';

/** What the logging middleware knows about the request being served. */
export interface RequestContext {
  /** The request id (`x-request-id`), reused from the caller or generated. */
  readonly requestId: string;
}

// One store per copy of the package is fine: the middleware that writes it and the logger
// mixin that reads it are always the same copy.
const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` as the current request context (used by `requestId()`). */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * The id of the request being served, from anywhere in its async call tree (handlers,
 * repositories, outgoing calls that forward `x-request-id`); `undefined` outside a request or
 * when the `requestId()` middleware is not installed.
 */
export function getRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
