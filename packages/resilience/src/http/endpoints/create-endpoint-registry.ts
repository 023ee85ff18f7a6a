import { Pool } from 'undici';
import type { ResolvedClientOptions } from '../client-defaults.ts';
import { createBreakerFactory } from '../client-policies.ts';
import type { RotatingTlsConnector } from '../client-tls.ts';
import type { Emitter } from '../../policies/common/emitter.ts';
import { createLoadBalancer } from '../load-balancing/create-load-balancer.ts';
import { EndpointRegistry, type EndpointChangeEvent } from './endpoint-registry.ts';
import { OutlierDetector, resolveOutlierOptions } from './outlier-detector.ts';

/**
 * Wires the endpoint registry of a client: one keep-alive undici Pool and one circuit breaker
 * per endpoint, the load balancer and outlier detection (`false` disables ejection). With a TLS
 * `connector`, every pool opens its connections through it, so a rotation reaches every
 * endpoint's next connection.
 */
export function createEndpointRegistry(
  o: ResolvedClientOptions,
  now: () => number,
  changes: Emitter<EndpointChangeEvent>,
  connector?: RotatingTlsConnector,
): EndpointRegistry {
  const { connectionsPerEndpoint, connectTimeoutMs, keepAliveTimeoutMs } = o;
  const outliers =
    o.outlierDetection === false ? { consecutiveFailures: Number.MAX_SAFE_INTEGER } : o.outlierDetection;
  return new EndpointRegistry({
    service: o.service,
    createPool: (origin) =>
      connector
        ? new Pool(origin, {
            connections: connectionsPerEndpoint,
            keepAliveTimeout: keepAliveTimeoutMs,
            allowH2: false,
            connect: connector.connect,
          })
        : new Pool(origin, {
            connections: connectionsPerEndpoint,
            connectTimeout: connectTimeoutMs,
            keepAliveTimeout: keepAliveTimeoutMs,
          }),
    createBreaker: createBreakerFactory(o.service, o.breaker, now),
    balancer: createLoadBalancer(o.loadBalancer),
    outliers: new OutlierDetector(resolveOutlierOptions(outliers), now),
    changes,
  });
}
