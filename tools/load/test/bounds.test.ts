import { afterEach, expect, it } from 'vitest';
import { runLoad } from '../src/run-load.ts';
import { isTargetRefusedError } from '../src/target-refused-error.ts';
import { resolveTargets } from '../src/targets.ts';
import { startFakeServices, type FakeServices } from './fixtures/fake-services.ts';
import { targetsFor } from './fixtures/targets-for.ts';

let services: FakeServices | undefined;
afterEach(async () => {
  await services?.close();
  services = undefined;
});

it('stops by itself at the end of --duration', async () => {
  services = await startFakeServices();
  const result = await runLoad({
    targets: targetsFor(services.url),
    profile: { rate: 100, durationMs: 500 },
    seed: 6,
  });
  expect(result).toMatchObject({ scheduled: 50, sent: 50, completed: 50, interrupted: false });
  expect(services.seen).toHaveLength(50);
});

it('stops after --max-requests although the duration is far longer than the test may take', async () => {
  services = await startFakeServices();
  const result = await runLoad({
    targets: targetsFor(services.url),
    profile: { rate: 100, durationMs: 3_600_000 },
    maxRequests: 30,
    seed: 7,
  });
  expect(result).toMatchObject({ scheduled: 30, sent: 30, completed: 30 });
  expect(services.seen).toHaveLength(30);
});

it('stops early on the abort signal and still returns the figures', async () => {
  services = await startFakeServices();
  const controller = new AbortController();
  const result = await runLoad({
    targets: targetsFor(services.url),
    profile: { rate: 50, durationMs: 3_600_000 },
    seed: 8,
    signal: controller.signal,
    onRequest: (record) => {
      if (record.index === 9) controller.abort();
    },
  });
  expect(result.interrupted).toBe(true);
  expect(result.sent).toBeGreaterThanOrEqual(10);
  expect(result.sent).toBeLessThan(100);
  expect(result.completed).toBe(result.sent);
});

it('refuses a target off this machine that nobody named, before sending anything', async () => {
  const targets = {
    ...resolveTargets({}, {}),
    user: { urls: [new URL('http://192.0.2.1:3001')], source: 'default' as const },
  };
  const error: unknown = await runLoad({ targets, profile: { rate: 10, durationMs: 1000 } }).catch(
    (e: unknown) => e,
  );
  expect(isTargetRefusedError(error)).toBe(true);
  expect((error as Error).message).toContain('192.0.2.1:3001');
});

it('counts requests dropped at maxInFlight against a server that never answers in time', async () => {
  services = await startFakeServices({ delayMs: () => 5000 });
  const result = await runLoad({
    targets: targetsFor(services.url),
    profile: { rate: 100, durationMs: 1000 },
    maxInFlight: 10,
    timeoutMs: 1500,
    seed: 9,
  });
  expect(result.scheduled).toBe(100);
  expect(result.sent).toBe(10);
  expect(result.dropped).toBe(90);
  expect(result.errors).toEqual({ UND_ERR_HEADERS_TIMEOUT: 10 });
}, 30_000);
