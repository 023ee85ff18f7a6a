import { parseExposition, samplesOf } from '@shipshape/test-harness/exposition';
import { afterEach, expect, it } from 'vitest';
import { LoadMetrics } from '../src/load-metrics.ts';
import { startMetricsServer, type MetricsServer } from '../src/metrics-server.ts';
import { runLoad } from '../src/run-load.ts';
import { startFakeServices, type FakeServices } from './fixtures/fake-services.ts';
import { targetsFor } from './fixtures/targets-for.ts';

let services: FakeServices | undefined;
let server: MetricsServer | undefined;
afterEach(async () => {
  await services?.close();
  await server?.close();
});

const sample = (text: string, name: string, labels: Record<string, string>): number =>
  samplesOf(parseExposition(text), name, labels)[0]?.value ?? Number.NaN;

it('exposes requests by scenario and status and a contract-bucket latency histogram with service="load"', async () => {
  services = await startFakeServices();
  const metrics = new LoadMetrics();
  server = await startMetricsServer(metrics.registry, '127.0.0.1', 0);
  const result = await runLoad({
    targets: targetsFor(services.url),
    profile: { rate: 50, durationMs: 1000 },
    seed: 10,
    metrics,
  });
  const text = await (await fetch(`${server.url}/metrics`)).text();

  const created = sample(text, 'load_requests_total', {
    service: 'load',
    scenario: 'create-user',
    status_code: '201',
  });
  expect(created).toBe(result.kinds['create-user']!.statuses['201']);
  expect(
    sample(text, 'load_request_latency_seconds_count', { service: 'load', scenario: 'read-order' }),
  ).toBe(result.kinds['read-order']!.completed);
  for (const le of [
    '0.005',
    '0.01',
    '0.025',
    '0.05',
    '0.075',
    '0.1',
    '0.25',
    '0.5',
    '0.75',
    '1',
    '2.5',
    '5',
    '7.5',
    '10',
    '+Inf',
  ]) {
    expect(text).toContain(
      `load_request_latency_seconds_bucket{le="${le}",service="load",scenario="create-order"}`,
    );
  }
  expect(
    sample(text, 'http_client_request_duration_seconds_count', {
      service: 'load',
      peer_service: 'order',
      method: 'POST',
      status_code: '202',
    }),
  ).toBe(result.kinds['create-order']!.statuses['202']);
  expect(text).toMatch(/process_cpu_user_seconds_total\{service="load"\}/);
});

it('answers 404 outside /metrics', async () => {
  server = await startMetricsServer(new LoadMetrics().registry, '127.0.0.1', 0);
  expect((await fetch(`${server.url}/other`)).status).toBe(404);
});
