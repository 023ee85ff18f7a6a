// What the console server streams to the page (Server-Sent Events) and answers on its API.
// Shared by the server (Node) and the page (browser): plain data, no imports.

/** The three services. */
export type ServiceId = 'user' | 'order' | 'payment';

/** Every figure the page shows comes with the metric it was computed from. */
export interface Figure {
  /** The value, or null when the metric was not reported (shown as "—", never as 0). */
  readonly value: number | null;
  /** The metric (and label filter) it comes from: `http_server_request_duration_seconds{service="order"}`. */
  readonly metric: string;
}

/** Requests/s, 5xx ratio and p99 of one arrow of the topology, over the rate window. */
export interface EdgeFigures {
  /** `client-user`, `client-order`, `order-user`, `order-queue`, `queue-payment`. */
  readonly id: EdgeId;
  readonly from: string;
  readonly to: string;
  readonly rate: Figure;
  /** Share of answers that were 5xx or transport errors, 0..1. */
  readonly errorRatio: Figure;
  /** 99th percentile in ms (histogram buckets, interpolated as Prometheus' histogram_quantile). */
  readonly p99Ms: Figure;
}

/** The arrows of the topology. */
export type EdgeId = 'client-user' | 'client-order' | 'order-user' | 'order-queue' | 'queue-payment';

/** State of one circuit breaker, as `resilience_circuit_breaker_state` reports it. */
export type BreakerState = 'closed' | 'open' | 'half_open' | 'isolated';

/** One breaker of the order service's clients (one per upstream replica, per order replica). */
export interface BreakerLight {
  /** `user` or `payment`. */
  readonly upstream: string;
  /** The breaker's name: `payment/127.0.0.1:3003`. */
  readonly name: string;
  /** The order replica that holds it (`order-0`). */
  readonly holder: string;
  readonly state: BreakerState;
}

/** Decisions of one inbound rate limiter over the rate window. */
export interface RateLimitFigures {
  readonly service: ServiceId;
  readonly name: string;
  readonly allowedPerSec: Figure;
  readonly rejectedPerSec: Figure;
  /** `resilience_rate_limit_degraded` is 1 on some replica (Redis backend failing). */
  readonly degraded: boolean;
}

/** Queue depth by state (`queue_jobs`), the largest any order replica reports. */
export interface QueueFigures {
  readonly queue: string;
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  readonly deadLetter: number;
}

/** One replica and whether its last scrape answered. */
export interface ReplicaStatus {
  readonly name: string;
  readonly url: string;
  readonly up: boolean;
  /** Why the scrape failed. */
  readonly error?: string;
}

/** One second of the system, as the console's server scraped it. */
export interface Snapshot {
  /** Epoch ms of the scrape. */
  readonly at: number;
  /**
   * Which system the figures are from: `this system`, or the private system of a running
   * experiment (`private system of payment-outage #3`), shown while it runs.
   */
  readonly system: string;
  /** Window the rates and percentiles are computed over, seconds. */
  readonly windowSeconds: number;
  readonly replicas: Readonly<Record<ServiceId, readonly ReplicaStatus[]>>;
  readonly edges: readonly EdgeFigures[];
  readonly breakers: readonly BreakerLight[];
  readonly rateLimits: readonly RateLimitFigures[];
  /** Undefined until an order replica reports `queue_jobs`. */
  readonly queue: QueueFigures | undefined;
  /** Orders paid per second (`orders_total{status="paid"}`). */
  readonly paidPerSec: Figure;
  /**
   * Time from order accepted to paid, p99 in ms, when the order service reports a paid-lag
   * histogram (any metric whose name contains `paid_lag`); undefined when it does not.
   */
  readonly paidLag: Figure | undefined;
}

/** A load profile started from the page. */
export interface LoadStatus {
  readonly running: boolean;
  readonly rate: number;
  readonly durationSeconds: number;
  readonly elapsedSeconds: number;
  readonly sent: number;
  readonly completed: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** Set when the run ended. */
  readonly summary?: string;
  readonly error?: string;
}

/** A hypothesis of a running or finished experiment. */
export interface HypothesisView {
  readonly id: string;
  readonly statement: string;
  /** undefined while the run has not been judged yet. */
  readonly pass?: boolean;
  readonly observed?: string;
  readonly expected?: string;
}

/** One step of an experiment's timeline. */
export interface TimelineView {
  readonly name: string;
  readonly plannedAtMs: number;
  readonly state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  readonly startedMs?: number;
  readonly endedMs?: number;
  readonly error?: string;
}

/** An experiment run from the page. */
export interface ExperimentView {
  readonly id: number;
  readonly scenario: string;
  readonly title: string;
  readonly short: boolean;
  readonly where: 'private' | 'target';
  readonly startedAt: string;
  readonly state: 'running' | 'passed' | 'failed' | 'error';
  readonly timeline: readonly TimelineView[];
  readonly hypotheses: readonly HypothesisView[];
  /** The last progress lines of the run. */
  readonly log: readonly string[];
  readonly durationMs?: number;
  readonly error?: string;
  /** Grafana dashboard and Jaeger search over the run's time range, when configured. */
  readonly links: readonly { readonly label: string; readonly href: string }[];
}

/** A scenario the page can run. */
export interface ScenarioInfo {
  readonly name: string;
  readonly title: string;
  /** It injects its fault by signals or a Redis restart: only on a private system. */
  readonly privateOnly: boolean;
}

/** What the page learns once, on load (`GET /api/info`). */
export interface ConsoleInfo {
  /** Whether controls are possible at all: the console knows the system's admin token. */
  readonly controlsConfigured: boolean;
  /** Whether the console can change settings and replay dead letters (it knows the system's Redis). */
  readonly redisConfigured: boolean;
  readonly scenarios: readonly ScenarioInfo[];
  readonly chaosKeys: Readonly<Record<ServiceId, readonly string[]>>;
  readonly grafanaUrl?: string;
  readonly jaegerUrl?: string;
}

/** The events of the stream `GET /api/stream`. */
export interface StreamEvents {
  readonly snapshot: Snapshot;
  readonly load: LoadStatus;
  readonly experiments: readonly ExperimentView[];
  /** The runtime overrides in force per service (Redis `config:<service>`), sent when they change. */
  readonly chaos: Readonly<Record<ServiceId, Readonly<Record<string, string>>>>;
}
