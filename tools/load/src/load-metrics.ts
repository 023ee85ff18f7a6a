import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestRecord } from './recorder.ts';
import type { ServiceName } from './request-builder.ts';

/** The contract's histogram buckets, in seconds. */
export const contractBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * Metric names of the generator, all with `service="load"`. `scenario` is the request kind
 * (4 values); `status_code` an HTTP status or `error` (bounded by the statuses the services use).
 */
export const loadMetricNames = {
  /** counter `scenario`, `status_code`: completed requests. */
  requests: 'load_requests_total',
  /** counter `scenario`: due requests dropped by the in-flight valve. */
  dropped: 'load_requests_dropped_total',
  /** histogram (s) `scenario`: latency from the intended send time (coordinated-omission correct). */
  latency: 'load_request_latency_seconds',
  /** gauge: the target arrival rate now, requests per second. */
  targetRate: 'load_target_rate',
  /** gauge: requests sent and not yet answered. */
  inFlight: 'load_in_flight_requests',
  /** contract histogram (s) `peer_service`, `method`, `status_code`: service time per call, so the load shows on the client panels. */
  clientDuration: 'http_client_request_duration_seconds',
} as const;

/** The generator's Prometheus metrics, in their own registry. */
export class LoadMetrics {
  /** The registry to expose. */
  readonly registry = new Registry();
  readonly #requests: Counter<'scenario' | 'status_code'>;
  readonly #dropped: Counter<'scenario'>;
  readonly #latency: Histogram<'scenario'>;
  readonly #client: Histogram<'peer_service' | 'method' | 'status_code'>;
  readonly #targetRate: Gauge;
  readonly #inFlight: Gauge;

  constructor() {
    this.registry.setDefaultLabels({ service: 'load' });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.#requests = new Counter({
      name: loadMetricNames.requests,
      help: 'Requests completed by the load generator, by scenario and status code.',
      labelNames: ['scenario', 'status_code'],
      registers,
    });
    this.#dropped = new Counter({
      name: loadMetricNames.dropped,
      help: 'Due requests not sent because the in-flight cap was reached.',
      labelNames: ['scenario'],
      registers,
    });
    this.#latency = new Histogram({
      name: loadMetricNames.latency,
      help: 'Latency from the intended send time (coordinated-omission correct), seconds.',
      labelNames: ['scenario'],
      buckets: contractBuckets,
      registers,
    });
    this.#client = new Histogram({
      name: loadMetricNames.clientDuration,
      help: 'Client-side duration of HTTP requests from the actual send, seconds.',
      labelNames: ['peer_service', 'method', 'status_code'],
      buckets: contractBuckets,
      registers,
    });
    this.#targetRate = new Gauge({
      name: loadMetricNames.targetRate,
      help: 'Target arrival rate, requests per second.',
      registers,
    });
    this.#inFlight = new Gauge({
      name: loadMetricNames.inFlight,
      help: 'Requests sent and not yet answered.',
      registers,
    });
  }

  /** Records a completed request. */
  observe(record: RequestRecord, peer: ServiceName, method: string): void {
    this.#requests.inc({ scenario: record.kind, status_code: record.status });
    this.#latency.observe({ scenario: record.kind }, (record.endMs - record.intendedMs) / 1000);
    this.#client.observe(
      { peer_service: peer, method, status_code: record.status },
      (record.endMs - record.sentMs) / 1000,
    );
  }

  /** Counts a dropped request. */
  dropped(kind: string): void {
    this.#dropped.inc({ scenario: kind });
  }

  /** Sets the target rate and the in-flight gauge. */
  setState(targetRate: number, inFlight: number): void {
    this.#targetRate.set(targetRate);
    this.#inFlight.set(inFlight);
  }
}
