import { requestSignal } from '@shipshape/observability/http';
import type { RequestHandler } from 'express';

/** Fault-injection settings, read again for every request so runtime changes apply at once. */
export interface ChaosSettings {
  /** Share of requests failed with `fault()`, 0..1. */
  readonly errorRate: number;
  /** Added latency per request, in ms. */
  readonly latencyMs: number;
}

/** Options of {@link chaosMiddleware}. */
export interface ChaosMiddlewareOptions {
  /** The current settings (the service's `chaos.*` config), read per request. */
  getChaos: () => ChaosSettings;
  /**
   * The error an injected failure throws; the service's 503 `service_unavailable` problem with
   * `Retry-After`, the answer a real overloaded replica gives.
   */
  fault: () => unknown;
  /**
   * Uniform random numbers in [0, 1); inject a sequence for deterministic tests.
   * @default Math.random
   */
  random?: () => number;
}

/**
 * Fault injection for demos and scenarios (`npm run chaos -- user errorRate=0.2`): delays each
 * API request by `latencyMs` (stopping early when its deadline passes or the client leaves),
 * then fails it with probability `errorRate` by throwing `fault()`. Mount it after the rate
 * limit and before the body (`createServiceApp`'s `beforeBody`).
 */
export function chaosMiddleware(options: ChaosMiddlewareOptions): RequestHandler {
  const { getChaos, fault, random = Math.random } = options;
  return async (req, _res, next) => {
    const { errorRate, latencyMs } = getChaos();
    if (latencyMs > 0) {
      const signal = requestSignal(req);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', stop);
          resolve();
        }, latencyMs);
        signal.addEventListener('abort', stop, { once: true });
      });
      // The deadline middleware has answered 504 already, or the client is gone.
      if (signal.aborted) return;
    }
    if (errorRate > 0 && random() < errorRate) throw fault();
    next();
  };
}
