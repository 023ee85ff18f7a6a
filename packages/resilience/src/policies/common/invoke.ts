import type { ExecuteContext, ExecuteFn } from './policy.ts';

/**
 * Internal entry point every built-in policy implements next to `execute`. It takes the caller's
 * whole context, so `wrap` can hand one context object down the chain: policies that change
 * neither signal nor attempt pass it on without allocating, and the retry attempt number reaches
 * the innermost function. Not exported from the package: a symbol keeps it off the public surface.
 */
export const invoke: unique symbol = Symbol('@shipshape/resilience/invoke') as never;

/** A policy that also implements the internal {@link invoke} entry point. */
export interface Invocable<R = never> {
  [invoke]<T>(fn: ExecuteFn<T>, context: ExecuteContext): Promise<T | R>;
}

/** A signal that never aborts, for calls made without one. */
export const neverAborted: AbortSignal = new AbortController().signal;

/** Shared, frozen context for `execute(fn)` called without a signal: nothing to allocate. */
export const rootContext: ExecuteContext = Object.freeze({ signal: neverAborted, attempt: 1 });

/** The context for a top-level `execute(fn, signal)` call. */
export function contextFor(signal: AbortSignal | undefined): ExecuteContext {
  return signal === undefined ? rootContext : { signal, attempt: 1 };
}

/** True when `value` implements the internal {@link invoke} entry point. */
export function isInvocable<R>(value: object): value is Invocable<R> {
  return typeof (value as Partial<Invocable<R>>)[invoke] === 'function';
}
