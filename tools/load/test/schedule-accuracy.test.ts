import { afterEach, expect, it } from 'vitest';
import { runLoad } from '../src/run-load.ts';
import { startFakeServices, type FakeServices } from './fixtures/fake-services.ts';
import { targetsFor } from './fixtures/targets-for.ts';

let services: FakeServices | undefined;
afterEach(async () => {
  await services?.close();
  services = undefined;
});

it('sends the scheduled number of requests at 500 req/s for 4 s, within ±2 % at the server', async () => {
  services = await startFakeServices();
  const result = await runLoad({
    targets: targetsFor(services.url),
    profile: { rate: 500, durationMs: 4000 },
    seed: 1,
  });

  // Open loop: the count follows from the schedule (500/s × 4 s), not from how fast the server is.
  expect(result.scheduled).toBe(2000);
  expect(result.targetRate).toBeCloseTo(500, 6);
  expect(result.dropped).toBe(0);
  expect(Math.abs(services.seen.length - 2000)).toBeLessThanOrEqual(40);
  expect(result.sent).toBe(services.seen.length);
  expect(result.completed).toBe(result.sent);
  expect(result.errors).toEqual({});
}, 30_000);
