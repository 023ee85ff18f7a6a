// Checks every metric of the contract table as a scrape shows it — name, type and exact label
// set (plus `service`) — in both formats, with everything bridged the way a service wires it.
import { describe, expect, it } from 'vitest';
import { bridgeServiceClient } from './bridge-service-client.ts';
import { bridgeRateLimiter } from './bridge-rate-limiter.ts';
import { bridgeTimeout } from './bridge-timeout.ts';
import { bridgeConfigReloads } from './config-reloads.ts';
import type { ConfigReloadEvent } from './config-reloads.ts';
import { CONTRACT_METRICS } from './contract-metrics.ts';
import { parseExposition } from '@shipshape/test-harness/exposition';
import type { Exposition } from '@shipshape/test-harness/exposition';
import { FakeEmitter } from './fake-emitter.test-helper.ts';
import { FakeClient, FakeLimiter, FakeTimeout } from './fake-resilience.test-helper.ts';
import { MetricsRegistry } from './metrics-registry.ts';
import { bridgeQueue } from './queue-metrics.ts';
import { LABEL, METRIC } from './names.ts';

/** The contract table, copied literally: name, type, labels (without `service`). */
const CONTRACT: [string, 'histogram' | 'gauge' | 'counter', string[]][] = [
  ['http_server_request_duration_seconds', 'histogram', ['method', 'route', 'status_code']],
  ['http_client_request_duration_seconds', 'histogram', ['peer_service', 'method', 'status_code']],
  ['resilience_circuit_breaker_state', 'gauge', ['name', 'state']],
  ['resilience_circuit_breaker_transitions_total', 'counter', ['name', 'from', 'to']],
  ['resilience_circuit_breaker_calls_total', 'counter', ['name', 'outcome']],
  ['resilience_retries_total', 'counter', ['name', 'reason']],
  ['resilience_retry_budget_exhausted_total', 'counter', ['name']],
  ['resilience_timeouts_total', 'counter', ['name']],
  ['resilience_bulkhead_in_flight', 'gauge', ['name']],
  ['resilience_bulkhead_queued', 'gauge', ['name']],
  ['resilience_bulkhead_rejected_total', 'counter', ['name']],
  ['resilience_rate_limit_decisions_total', 'counter', ['name', 'decision']],
  ['resilience_rate_limit_degraded', 'gauge', ['name']],
  ['queue_jobs', 'gauge', ['queue', 'state']],
  ['queue_job_duration_seconds', 'histogram', ['queue', 'outcome']],
  ['queue_job_wait_seconds', 'histogram', ['queue']],
  ['orders_total', 'counter', ['status']],
  ['payments_total', 'counter', ['outcome']],
  ['config_reloads_total', 'counter', ['source', 'outcome']],
];

function wiredRegistry(): MetricsRegistry {
  const metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
  metrics
    .histogram(CONTRACT_METRICS.httpServerRequestDuration)
    .observe({ method: 'GET', route: '/orders/:id', status_code: '200' }, 0.01);
  const client = new FakeClient();
  bridgeServiceClient(client, metrics);
  client.attempt.emit({
    service: 'user',
    method: 'GET',
    endpoint: 'e',
    statusCode: 200,
    durationMs: 3,
    attempt: 1,
  });
  client.breakers[0]!.moveTo('open');
  client.retryPolicy.retry.emit({ name: 'retry-user', attempt: 1, delayMs: 1, reason: 'timeout' });
  bridgeTimeout(new FakeTimeout(), metrics);
  bridgeRateLimiter(new FakeLimiter(), metrics);
  const queue = bridgeQueue(
    {
      queue: { name: 'payments', getJobCounts: () => Promise.resolve({ wait: 1 }) },
      deadLetter: { name: 'payments-dlq', getJobCounts: () => Promise.resolve({ wait: 2 }) },
    },
    metrics,
  );
  queue.observeJob({ outcome: 'completed', durationMs: 10 });
  queue.observeWait(5);
  // The domain counters, declared as the order and payment services declare theirs.
  metrics
    .counter({ name: METRIC.ordersTotal, help: 'orders', labelNames: [LABEL.status] })
    .inc({ status: 'pending' });
  metrics
    .counter({ name: METRIC.paymentsTotal, help: 'payments', labelNames: [LABEL.outcome] })
    .inc({ outcome: 'captured' });
  const reloads = new FakeEmitter<ConfigReloadEvent>();
  bridgeConfigReloads({ onReload: reloads.subscribe }, metrics);
  reloads.emit({ source: 'file', outcome: 'applied' });
  return metrics;
}

function labelSets(exp: Exposition, sampleName: string): string[][] {
  const sets = exp.samples.filter((s) => s.name === sampleName).map((s) => Object.keys(s.labels).sort());
  return [...new Set(sets.map((s) => s.join(',')))].map((s) => s.split(','));
}

describe('contract metrics', () => {
  it.each(['prometheus', 'openmetrics'] as const)(
    'are exposed with the contract names, types and labels in %s',
    async (format) => {
      const exp = parseExposition(await wiredRegistry().render(format));
      for (const [name, type, labels] of CONTRACT) {
        const expected = [...labels, 'service'].sort();
        // OpenMetrics names a counter family without `_total` and its sample with it.
        const family = format === 'openmetrics' && type === 'counter' ? name.replace(/_total$/, '') : name;
        expect(exp.types.get(family), name).toBe(type);
        if (type === 'histogram') {
          expect(labelSets(exp, `${name}_bucket`), name).toEqual([[...expected, 'le'].sort()]);
          expect(labelSets(exp, `${name}_count`), name).toEqual([expected]);
          expect(labelSets(exp, `${name}_sum`), name).toEqual([expected]);
        } else {
          expect(labelSets(exp, name), name).toEqual([expected]);
        }
      }
    },
  );
});
