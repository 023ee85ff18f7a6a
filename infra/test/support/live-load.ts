/**
 * Background traffic for the live dashboard check: the real load generator (`@shipshape/load`)
 * against a started stack, with its own /metrics served like `npm run load` does (the `load`
 * scrape job), running until stopped.
 */
import { LoadMetrics, runLoad, startMetricsServer } from '@shipshape/load';
import type { LoadResult, Targets } from '@shipshape/load';
import type { Stack } from '@shipshape/stack';

/** Options of {@link startLoadRun}. */
export interface LoadRunOptions {
  /**
   * Requests per second.
   * @default 20
   */
  rate?: number;
  /**
   * Upper bound of the run in ms; {@link LoadRun.stop} normally ends it sooner.
   * @default 120_000
   */
  maxDurationMs?: number;
}

/** A load run: its /metrics serve from creation, requests flow from {@link LoadRun.start}. */
export interface LoadRun {
  /** `http://127.0.0.1:<port>` of the generator's /metrics. */
  readonly metricsUrl: string;
  /** Starts sending; returns `Date.now()` at the start. Once only. */
  start(): number;
  /** Stops sending, waits for in-flight requests, closes /metrics; resolves with the result. */
  stop(): Promise<LoadResult | undefined>;
}

/**
 * Serves the generator's metrics on a free port at once, so Prometheus can scrape the `load`
 * job before any request is sent; `start()` then sends every request kind (sign-ups, orders,
 * order reads, payment lists) to the stack's services until `stop()`.
 */
export async function createLoadRun(stack: Stack, options: LoadRunOptions = {}): Promise<LoadRun> {
  const metrics = new LoadMetrics();
  const server = await startMetricsServer(metrics.registry, '127.0.0.1', 0);
  const target = (service: 'user' | 'order' | 'payment'): Targets['user'] => ({
    urls: stack.urls(service).map((url) => new URL(url)),
    source: 'flag',
  });
  const abort = new AbortController();
  let settled: Promise<{ result: LoadResult } | { error: unknown }> | undefined;
  let stopped: Promise<LoadResult | undefined> | undefined;
  return {
    metricsUrl: server.url,
    start: () => {
      if (settled !== undefined) throw new Error('the load run has already started');
      const startedAt = Date.now();
      // A failure surfaces from stop(); until then it must not be an unhandled rejection.
      settled = runLoad({
        targets: { user: target('user'), order: target('order'), payment: target('payment') },
        profile: {
          profile: 'steady',
          rate: options.rate ?? 20,
          durationMs: options.maxDurationMs ?? 120_000,
        },
        mix: { 'create-user': 1, 'create-order': 4, 'read-order': 3, 'list-payments': 2 },
        seed: 7,
        maxInFlight: 64,
        timeoutMs: 5_000,
        warmUp: false,
        metrics,
        signal: abort.signal,
      }).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      return startedAt;
    },
    stop: () =>
      (stopped ??= (async () => {
        abort.abort();
        const outcome = await settled;
        await server.close();
        if (outcome !== undefined && 'error' in outcome) throw outcome.error;
        return outcome?.result;
      })()),
  };
}
