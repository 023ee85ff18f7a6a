import { Pool } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { LatencyHistogram } from '../src/latency-histogram.ts';
import type { RequestRecord } from '../src/recorder.ts';
import { runLoad } from '../src/run-load.ts';
import { startFakeServices, type FakeServices } from './fixtures/fake-services.ts';
import { targetsFor } from './fixtures/targets-for.ts';

let services: FakeServices | undefined;
afterEach(async () => {
  await services?.close();
  services = undefined;
});

const rate = 200;
const stallMs = 1000;

/** Busy-waits: nothing else in this process runs meanwhile, the load generator included. */
function freezeEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

it('charges a frozen event loop to the requests scheduled during the freeze, which service time hides', async () => {
  let stall: { start: number; end: number } | undefined;
  let runStart = 0;
  services = await startFakeServices({
    onArrive: () => {
      if (stall === undefined && performance.now() - runStart >= 1000) {
        const start = performance.now();
        freezeEventLoop(stallMs);
        stall = { start, end: performance.now() };
      }
    },
  });
  const records: RequestRecord[] = [];
  runStart = performance.now();
  const result = await runLoad({
    targets: targetsFor(services.url),
    profile: { rate, durationMs: 3000 },
    seed: 4,
    onRequest: (record) => records.push(record),
  });

  expect(stall).toBeDefined();
  const { start, end } = stall!;
  const scheduledDuringStall = records.filter((r) => r.intendedMs >= start && r.intendedMs < end);
  // The schedule keeps its times: rate × stall requests were due while nothing could run.
  expect(scheduledDuringStall.length).toBeGreaterThanOrEqual(rate * (stallMs / 1000) * 0.95);
  expect(scheduledDuringStall.length).toBeLessThanOrEqual(rate * ((end - start) / 1000) * 1.05 + 1);
  // They went out only after the freeze, having waited on average half of it to be sent…
  expect(scheduledDuringStall.every((r) => r.sentMs >= end)).toBe(true);
  const meanWait = (rs: RequestRecord[]): number =>
    rs.reduce((sum, r) => sum + (r.sentMs - r.intendedMs), 0) / rs.length;
  expect(meanWait(scheduledDuringStall)).toBeGreaterThanOrEqual(0.4 * stallMs);
  // …a wait that latency from the intended time includes and service time from the send does not:
  // per request latency = wait + service time, so the means differ by exactly the mean wait.
  expect(meanWait(records)).toBeGreaterThan(100);
  expect(Math.abs(result.latency.meanMs - result.serviceTime.meanMs - meanWait(records))).toBeLessThan(5);
  expect(result.latency.p99Ms).toBeGreaterThanOrEqual(800);
  expect(result.latency.maxMs).toBeGreaterThanOrEqual(900);
  expect(result.scheduled).toBe(600);
}, 30_000);

/** A naive closed-loop client: one request at a time, timed from its own send. */
async function closedLoop(
  url: string,
  durationMs: number,
): Promise<{ histogram: LatencyHistogram; sentDuring: (a: number, b: number) => number }> {
  const pool = new Pool(url, { connections: 1 });
  const histogram = new LatencyHistogram();
  const sends: number[] = [];
  const end = performance.now() + durationMs;
  try {
    while (performance.now() < end) {
      const sent = performance.now();
      sends.push(sent);
      const response = await pool.request({ method: 'GET', path: '/orders/o1' });
      await response.body.dump();
      histogram.recordMs(performance.now() - sent);
    }
  } finally {
    await pool.close();
  }
  return { histogram, sentDuring: (a, b) => sends.filter((t) => t >= a && t < b).length };
}

it('shows a 1 s server stall at p99 where a closed-loop client reports it as one slow sample', async () => {
  let stall: { start: number; end: number; release: Promise<void> } | undefined;
  let runStart = 0;
  services = await startFakeServices({
    hold: () => {
      const now = performance.now();
      if (stall === undefined && now - runStart >= 1000) {
        stall = {
          start: now,
          end: now + stallMs,
          release: new Promise((resolve) => setTimeout(resolve, stallMs)),
        };
      }
      return stall !== undefined && now < stall.end ? stall.release : undefined;
    },
  });
  const records: RequestRecord[] = [];
  runStart = performance.now();
  const open = await runLoad({
    targets: targetsFor(services.url),
    profile: { rate, durationMs: 3000 },
    seed: 5,
    onRequest: (record) => records.push(record),
  });
  const openStall = stall!;
  const scheduledDuringStall = records.filter(
    (r) => r.intendedMs >= openStall.start && r.intendedMs < openStall.end,
  );
  expect(scheduledDuringStall.length).toBeGreaterThanOrEqual(rate * 0.9);
  expect(scheduledDuringStall.length).toBeLessThanOrEqual(rate * 1.1);
  expect(open.latency.p99Ms).toBeGreaterThanOrEqual(800);

  stall = undefined;
  runStart = performance.now();
  const closed = await closedLoop(services.url, 3000);
  const closedStall = stall!;
  expect(closedStall).toBeDefined();
  // The closed loop waited out the stall with a single request in flight: one sample of ~1 s
  // among thousands, so its p99 does not see the stall at all.
  expect(closed.sentDuring(closedStall.start, closedStall.end)).toBeLessThanOrEqual(1);
  expect(closed.histogram.summary().maxMs).toBeGreaterThanOrEqual(800);
  expect(closed.histogram.summary().p99Ms).toBeLessThan(open.latency.p99Ms / 4);
}, 30_000);
