import { CONTRACT_METRICS } from './contract-metrics.ts';
import { observeWithTrace } from './exemplar.ts';
import type { MetricsRegistry } from './metrics-registry.ts';
import { STATUS_TRANSPORT_ERROR } from './names.ts';

/** One outbound HTTP attempt, as recorded in `http_client_request_duration_seconds`. */
export interface HttpClientAttempt {
  /** The peer's service name (`user`, `payment`), never a host or URL. */
  peerService: string;
  /** HTTP method. */
  method: string;
  /** The response status, or `'error'` when no response arrived (refused, reset, timed out). */
  statusCode: number | 'error';
  /** Attempt duration in milliseconds. */
  durationMs: number;
}

/** Records outbound HTTP attempts; see {@link httpClientMetrics}. */
export interface HttpClientMetrics {
  /** Observes one attempt, with the active span as exemplar. */
  record(attempt: HttpClientAttempt): void;
}

/**
 * The HTTP client histogram API, for clients other than the resilience service client (which
 * {@link bridgeServiceClient} records on its own).
 */
export function httpClientMetrics(metrics: MetricsRegistry): HttpClientMetrics {
  const histogram = metrics.histogram(CONTRACT_METRICS.httpClientRequestDuration);
  return {
    record(attempt) {
      const labels = {
        peer_service: attempt.peerService,
        method: attempt.method.toUpperCase(),
        status_code: attempt.statusCode === 'error' ? STATUS_TRANSPORT_ERROR : String(attempt.statusCode),
      };
      observeWithTrace(histogram, labels, attempt.durationMs / 1000);
    },
  };
}
