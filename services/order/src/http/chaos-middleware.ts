import { requestSignal } from '@shipshape/observability';
import type { RequestHandler } from 'express';
import { catalogueProblem } from './map-error.ts';

/** Fault-injection settings, read again for every request so runtime changes apply at once. */
export interface ChaosSettings {
  /** Share of requests answered 503 `service_unavailable`, 0..1. */
  readonly errorRate: number;
  /** Added latency per request, in ms. */
  readonly latencyMs: number;
}

/**
 * Fault injection for demos and scenarios (`npm run chaos -- order errorRate=0.2`): delays each
 * API request by `latencyMs` (stopping early when its deadline passes or the client leaves),
 * then fails it with probability `errorRate` as 503 `service_unavailable` with `Retry-After`,
 * the answer a real overloaded replica gives. Mounted after the rate limit, before the body.
 */
export function chaosMiddleware(getChaos: () => ChaosSettings, random: () => number): RequestHandler {
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
    if (errorRate > 0 && random() < errorRate) {
      throw catalogueProblem('service_unavailable', 'Injected fault (chaos.errorRate).', {
        headers: { 'Retry-After': '1' },
      });
    }
    next();
  };
}
