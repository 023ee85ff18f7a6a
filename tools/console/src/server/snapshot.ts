import type {
  BreakerLight,
  BreakerState,
  EdgeFigures,
  EdgeId,
  Figure,
  QueueFigures,
  RateLimitFigures,
  ReplicaStatus,
  ServiceId,
  Snapshot,
} from '../shared/console-state.ts';
import {
  counterIncrease,
  gaugeValues,
  histogramQuantile,
  type LabelFilter,
  type ReplicaSamples,
} from './metric-window.ts';

/** Routes the console and probes hit (`/metrics`, `/ready`, …): not traffic of the topology. */
const operationalRoutes = new Set(['/metrics', '/health', '/ready', '/config', '/openapi.json']);

const isError = (status: string | undefined): boolean => status === 'error' || /^5/.test(status ?? '');

interface EdgeSource {
  readonly from: string;
  readonly to: string;
  /** Histogram whose `_count` gives the rate and whose buckets give p99. */
  readonly histogram: string;
  readonly filter: LabelFilter;
  /** How the filter reads, for the page. */
  readonly selector: string;
  /** Counter whose rate is the arrow's rate instead of the histogram's count. */
  readonly rateCounter?: { readonly name: string; readonly filter: LabelFilter; readonly selector: string };
  /** Whether the histogram has a `status_code` label that tells errors. */
  readonly errors: boolean;
}

const serverTraffic =
  (service: ServiceId): LabelFilter =>
  (l) =>
    l['service'] === service && !operationalRoutes.has(l['route'] ?? '');

const edgeSources: Readonly<Record<EdgeId, EdgeSource>> = {
  'client-user': {
    from: 'client',
    to: 'user',
    histogram: 'http_server_request_duration_seconds',
    filter: serverTraffic('user'),
    selector: '{service="user"} (API routes, every caller)',
    errors: true,
  },
  'client-order': {
    from: 'client',
    to: 'order',
    histogram: 'http_server_request_duration_seconds',
    filter: serverTraffic('order'),
    selector: '{service="order"} (API routes)',
    errors: true,
  },
  'order-user': {
    from: 'order',
    to: 'user',
    histogram: 'http_client_request_duration_seconds',
    filter: (l) => l['service'] === 'order' && l['peer_service'] === 'user',
    selector: '{service="order",peer_service="user"}',
    errors: true,
  },
  'order-queue': {
    from: 'order',
    to: 'queue',
    histogram: 'queue_job_wait_seconds',
    filter: (l) => l['service'] === 'order',
    selector: '{service="order"}',
    rateCounter: {
      name: 'orders_total',
      filter: (l) => l['service'] === 'order' && l['status'] === 'pending',
      selector: 'orders_total{status="pending"}',
    },
    errors: false,
  },
  'queue-payment': {
    from: 'queue',
    to: 'payment',
    histogram: 'http_client_request_duration_seconds',
    filter: (l) => l['service'] === 'order' && l['peer_service'] === 'payment',
    selector: '{service="order",peer_service="payment"}',
    errors: true,
  },
};

/** The arrows in the order the page draws them. */
export const edgeIds = Object.keys(edgeSources) as EdgeId[];

function edgeFigures(id: EdgeId, older: ReplicaSamples, newer: ReplicaSamples, seconds: number): EdgeFigures {
  const source = edgeSources[id];
  const count = `${source.histogram}_count`;
  const total = counterIncrease(older, newer, count, source.filter);
  const rateTotal = source.rateCounter
    ? counterIncrease(older, newer, source.rateCounter.name, source.rateCounter.filter)
    : total;
  const errors = source.errors
    ? counterIncrease(older, newer, count, (l) => source.filter(l) && isError(l['status_code']))
    : null;
  const p99 = histogramQuantile(older, newer, source.histogram, 0.99, source.filter);
  return {
    id,
    from: source.from,
    to: source.to,
    rate: {
      value: rateTotal === null ? null : rateTotal / seconds,
      metric: source.rateCounter
        ? `rate(${source.rateCounter.selector})`
        : `rate(${source.histogram}_count${source.selector})`,
    },
    errorRatio: {
      value: !source.errors || total === null || total === 0 ? null : (errors ?? 0) / total,
      metric: source.errors ? `${source.histogram}_count, status_code 5xx or error / all` : 'not measured',
    },
    p99Ms: {
      value: p99 === null ? null : p99 * 1000,
      metric: `histogram_quantile(0.99, ${source.histogram}_bucket${source.selector})`,
    },
  };
}

function breakerLights(newer: ReplicaSamples): BreakerLight[] {
  const lights = new Map<string, BreakerLight>();
  for (const { replica, sample } of gaugeValues(newer, 'resilience_circuit_breaker_state')) {
    if (sample.value !== 1) continue;
    const name = sample.labels['name'] ?? '';
    lights.set(`${replica} ${name}`, {
      upstream: name.split('/')[0] ?? name,
      name,
      holder: replica,
      state: (sample.labels['state'] ?? 'closed') as BreakerState,
    });
  }
  return [...lights.values()].sort((a, b) => `${a.name}${a.holder}`.localeCompare(`${b.name}${b.holder}`));
}

function rateLimits(older: ReplicaSamples, newer: ReplicaSamples, seconds: number): RateLimitFigures[] {
  const names = new Map<string, ServiceId>();
  for (const { sample } of gaugeValues(newer, 'resilience_rate_limit_decisions_total'))
    names.set(sample.labels['name'] ?? '', sample.labels['service'] as ServiceId);
  return [...names].map(([name, service]) => {
    const decided = (decision: string): Figure => {
      const n = counterIncrease(
        older,
        newer,
        'resilience_rate_limit_decisions_total',
        (l) => l['name'] === name && l['decision'] === decision,
      );
      return {
        value: n === null ? null : n / seconds,
        metric: `rate(resilience_rate_limit_decisions_total{name="${name}",decision="${decision}"})`,
      };
    };
    return {
      service,
      name,
      allowedPerSec: decided('allowed'),
      rejectedPerSec: decided('rejected'),
      degraded: gaugeValues(newer, 'resilience_rate_limit_degraded', (l) => l['name'] === name).some(
        (g) => g.sample.value > 0,
      ),
    };
  });
}

function queueFigures(newer: ReplicaSamples): QueueFigures | undefined {
  const jobs = gaugeValues(newer, 'queue_jobs', (l) => l['service'] === 'order');
  if (jobs.length === 0) return undefined;
  // Every order replica reports the same shared queue: take the largest (the freshest) value.
  const depth = (state: string): number =>
    Math.max(0, ...jobs.filter((j) => j.sample.labels['state'] === state).map((j) => j.sample.value));
  return {
    queue: jobs[0]?.sample.labels['queue'] ?? 'payments',
    waiting: depth('waiting'),
    active: depth('active'),
    delayed: depth('delayed'),
    failed: depth('failed'),
    deadLetter: depth('dead_letter'),
  };
}

/** A paid-lag histogram of the order service, when it reports one. */
function paidLag(older: ReplicaSamples, newer: ReplicaSamples): Figure | undefined {
  let histogram: string | undefined;
  for (const samples of newer.values()) {
    const bucket = samples?.find((s) => s.name.includes('paid_lag') && s.name.endsWith('_bucket'));
    if (bucket) histogram = bucket.name.slice(0, -'_bucket'.length);
  }
  if (histogram === undefined) return undefined;
  const p99 = histogramQuantile(older, newer, histogram, 0.99);
  const unit = histogram.endsWith('_seconds') ? 1000 : 1;
  return { value: p99 === null ? null : p99 * unit, metric: `histogram_quantile(0.99, ${histogram}_bucket)` };
}

/**
 * The page's view of the system from two scrapes `seconds` apart: rates, error ratios and p99
 * over that window, the breakers, rate limits and queue as the newer scrape reports them.
 */
export function buildSnapshot(
  older: ReplicaSamples,
  newer: ReplicaSamples,
  seconds: number,
  replicas: Readonly<Record<ServiceId, readonly ReplicaStatus[]>>,
  at: number,
  system = 'this system',
): Snapshot {
  const window = Math.max(seconds, 0.001);
  const paid = counterIncrease(
    older,
    newer,
    'orders_total',
    (l) => l['service'] === 'order' && l['status'] === 'paid',
  );
  return {
    at,
    system,
    windowSeconds: seconds,
    replicas,
    edges: edgeIds.map((id) => edgeFigures(id, older, newer, window)),
    breakers: breakerLights(newer),
    rateLimits: rateLimits(older, newer, window),
    queue: queueFigures(newer),
    paidPerSec: {
      value: paid === null ? null : paid / window,
      metric: 'rate(orders_total{service="order",status="paid"})',
    },
    paidLag: paidLag(older, newer),
  };
}
