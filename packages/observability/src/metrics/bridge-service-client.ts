import { bridgeBreaker } from './bridge-breaker.ts';
import { bridgeBulkhead } from './bridge-bulkhead.ts';
import { bridgeRateLimiter } from './bridge-rate-limiter.ts';
import { bridgeRetry } from './bridge-retry.ts';
import { bridgeTimeout } from './bridge-timeout.ts';
import { disposeAll } from './dispose-all.ts';
import { httpClientMetrics } from './http-client-metrics.ts';
import type { Disposable, MetricsRegistry } from './metrics-registry.ts';
import type { ServiceClientLike } from './resilience-shapes.ts';

/**
 * Records a resilience service client: every attempt in
 * `http_client_request_duration_seconds{peer_service,method,status_code}` (`error` when no
 * response arrived; the active span as exemplar), and every policy inside the client through
 * the matching bridge. Disposing undoes all of it.
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
    ...policies.breakers.map((breaker) => bridgeBreaker(breaker, metrics)),
  ];
  if (policies.retry) parts.push(bridgeRetry(policies.retry, metrics));
  if (policies.bulkhead) parts.push(bridgeBulkhead(policies.bulkhead, metrics));
  if (policies.limiter) parts.push(bridgeRateLimiter(policies.limiter, metrics));
  if (policies.timeout) parts.push(bridgeTimeout(policies.timeout, metrics));
  return disposeAll(parts);
}
