import { neverAborted } from './invoke.ts';

/**
 * The package's one sleep (retry backoff in `policies/retry` and in the HTTP service client).
 * Waits `ms`, or rejects with `signal.reason` the moment `signal` aborts. Whichever happens first
 * removes the other's timer or listener, so a retry loop that is aborted leaves nothing behind.
 * Without a signal (or with the internal never-aborted one) it is a plain timer. Internal.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal === undefined || signal === neverAborted) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
