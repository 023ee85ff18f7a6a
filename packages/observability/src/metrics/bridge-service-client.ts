import { isConcurrencyLimitLike, isHedgingLike } from './adaptive-shapes.ts';
import { bridgeBreaker } from './bridge-breaker.ts';
import { bridgeConcurrencyLimit } from './bridge-concurrency-limit.ts';
import { bridgeHedging } from './bridge-hedging.ts';
import { bridgeBulkhead } from './bridge-bulkhead.ts';
import { bridgeRateLimiter } from './bridge-rate-limiter.ts';
import { bridgeRetry } from './bridge-retry.ts';
import { bridgeTimeout } from './bridge-timeout.ts';
import { httpClientMetrics } from './http-client-metrics.ts';
import type { Disposable, MetricsRegistry } from './metrics-registry.ts';
import { isRateLimiterLike } from './resilience-shapes.ts';
import type { BreakerLike, ServiceClientLike } from './resilience-shapes.ts';

/**
 * Records a resilience service client: every attempt in
 * `http_client_request_duration_seconds{peer_service,method,status_code}` (`error` when no
 * response arrived; the active span as exemplar), and every policy inside the client through
 * the matching bridge (hedging and the adaptive concurrency limit included, when the client
 * has them). The client has one breaker per live endpoint: on every endpoint change
 * the breakers are re-read, new ones bridged and the bridges of removed ones disposed (their
 * state series go away). Disposing undoes all of it.
 */
export function bridgeServiceClient(client: ServiceClientLike, metrics: MetricsRegistry): Disposable {
  const http = httpClientMetrics(metrics);
  const policies = client.policies();
  const parts: Disposable[] = [
    client.onAttempt((e) =>
      http.record({
        peerService: e.service,
        method: e.method,
        statusCode: e.statusCode,
        durationMs: e.durationMs,
      }),
    ),
  ];
  if (policies.retry) parts.push(bridgeRetry(policies.retry, metrics));
  if (policies.bulkhead) parts.push(bridgeBulkhead(policies.bulkhead, metrics));
  if (isRateLimiterLike(policies.limiter)) parts.push(bridgeRateLimiter(policies.limiter, metrics));
  if (policies.timeout) parts.push(bridgeTimeout(policies.timeout, metrics));
  // Hedging and the adaptive limit are read structurally: clients without them still fit.
  const { hedging, concurrencyLimit } = policies as { hedging?: unknown; concurrencyLimit?: unknown };
  if (isHedgingLike(hedging)) parts.push(bridgeHedging(hedging, metrics));
  if (isConcurrencyLimitLike(concurrencyLimit)) parts.push(bridgeConcurrencyLimit(concurrencyLimit, metrics));

  const breakers = new Map<BreakerLike, Disposable>();
  const syncBreakers = (current: readonly BreakerLike[]) => {
    for (const breaker of current) {
      if (!breakers.has(breaker)) breakers.set(breaker, bridgeBreaker(breaker, metrics));
    }
    for (const [breaker, bridge] of breakers) {
      if (current.includes(breaker)) continue;
      bridge.dispose();
      breakers.delete(breaker);
    }
  };
  syncBreakers(policies.breakers);
  if (client.onEndpointChange) {
    parts.push(client.onEndpointChange(() => syncBreakers(client.policies().breakers)));
  }

  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const part of parts) part.dispose();
      for (const bridge of breakers.values()) bridge.dispose();
      breakers.clear();
    },
  };
}
