import { afterEach, expect, it } from 'vitest';
import { runLoad } from '../src/run-load.ts';
import { startFakeServices, type FakeServices } from './fixtures/fake-services.ts';
import { targetsFor } from './fixtures/targets-for.ts';

let services: FakeServices | undefined;
afterEach(async () => {
  await services?.close();
  services = undefined;
});

it('measures p50 ≈ 50 ms against a server that answers after a fixed 50 ms', async () => {
  services = await startFakeServices({ delayMs: () => 50 });
  const result = await runLoad({
    targets: targetsFor(services.url),
    profile: { rate: 100, durationMs: 2000 },
    seed: 2,
  });

  expect(result.completed).toBe(200);
  expect(result.latency.p50Ms).toBeGreaterThanOrEqual(45);
  expect(result.latency.p50Ms).toBeLessThanOrEqual(90);
  expect(result.serviceTime.p50Ms).toBeGreaterThanOrEqual(45);
  expect(result.serviceTime.p50Ms).toBeLessThanOrEqual(90);
  // Nothing answers faster than the injected delay.
  expect(result.serviceTime.minMs).toBeGreaterThanOrEqual(49);
}, 30_000);

it('separates the modes of a bimodal server: 90 % at 10 ms, 10 % at 200 ms', async () => {
  services = await startFakeServices({ delayMs: (n) => (n % 10 === 9 ? 200 : 10) });
  const result = await runLoad({
    targets: targetsFor(services.url),
    profile: { rate: 100, durationMs: 3000 },
    seed: 3,
  });

  expect(result.completed).toBe(300);
  expect(result.latency.p50Ms).toBeGreaterThanOrEqual(9);
  expect(result.latency.p50Ms).toBeLessThanOrEqual(60);
  expect(result.latency.p99Ms).toBeGreaterThanOrEqual(195);
  expect(result.latency.p99Ms).toBeLessThanOrEqual(400);
}, 30_000);
