import { neverAborted } from './invoke.ts';

/**
 * Waits `ms`, or rejects with `signal.reason` the moment `signal` aborts. Whichever happens
 * first removes the other's timer or listener, so a retry loop that is aborted leaves nothing
 * behind. Internal.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  if (signal === neverAborted) return new Promise((resolve) => setTimeout(resolve, ms));
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
