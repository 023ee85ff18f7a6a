import type { FakeClock } from '../common/clock.test-helper.ts';
import type { ConcurrencyPermit } from './concurrency-limiter.ts';

/** What admits calls in the model: a {@link ConcurrencyLimiter}, or nothing (`undefined` = no limit). */
export interface Admission {
  tryAcquire(): ConcurrencyPermit | undefined;
}

/** An upstream in the model. Test-only. */
export interface UpstreamModel {
  /** Calls it works on at full speed; beyond that every call slows down in proportion. */
  readonly capacity: number;
  /** Latency of a call when at most `capacity` are in flight, ms. */
  readonly baseMs: number;
  /** Sheds (a drop sample, no latency) instead of slowing down beyond this many calls. @default never */
  readonly shedAbove?: number;
}

/** What one simulated run saw. */
export interface ModelRun {
  readonly offered: number;
  readonly admitted: number;
  readonly rejected: number;
  readonly shed: number;
  /** Calls completed per second of the run. */
  readonly goodputPerSec: number;
  /** p99 latency of the completed calls, ms. */
  readonly p99Ms: number;
}

/**
 * A deterministic discrete-event run: calls arrive every `1000 / ratePerSec` ms of the fake
 * clock, each admitted one takes `baseMs × max(1, inFlight / capacity)` (processor sharing:
 * a queue at the upstream makes every call slower), and its permit is released when it ends.
 * Calls still running at the end are completed (the clock moves past the end) but not counted
 * in the goodput.
 * No timers, no randomness: the same inputs give the same figures.
 */
export function runModel(options: {
  readonly clock: FakeClock;
  readonly admission: Admission | undefined;
  readonly upstream: UpstreamModel;
  readonly ratePerSec: number;
  readonly durationMs: number;
}): ModelRun {
  const { clock, admission, upstream } = options;
  const interval = 1000 / options.ratePerSec;
  const start = clock.time;
  const end = start + options.durationMs;
  const inFlight: { endAt: number; latency: number; permit: ConcurrencyPermit | undefined }[] = [];
  const latencies: number[] = [];
  let completedInRun = 0;
  let offered = 0;
  let rejected = 0;
  let shed = 0;
  const completeUntil = (time: number): void => {
    inFlight.sort((a, b) => a.endAt - b.endAt);
    while (inFlight.length > 0 && inFlight[0]!.endAt <= time) {
      const call = inFlight.shift()!;
      clock.time = call.endAt;
      latencies.push(call.latency);
      if (call.endAt <= end) completedInRun += 1;
      call.permit?.success();
    }
  };
  for (let at = start; at < end; at += interval) {
    completeUntil(at);
    clock.time = at;
    offered += 1;
    const permit = admission === undefined ? undefined : admission.tryAcquire();
    if (admission !== undefined && permit === undefined) {
      rejected += 1;
      continue;
    }
    const n = inFlight.length + 1;
    if (upstream.shedAbove !== undefined && n > upstream.shedAbove) {
      shed += 1;
      permit?.dropped();
      continue;
    }
    const latency = upstream.baseMs * Math.max(1, n / upstream.capacity);
    inFlight.push({ endAt: at + latency, latency, permit });
  }
  // Calls still running at the end finish (their permits must be released) but count as late.
  completeUntil(Infinity);
  latencies.sort((a, b) => a - b);
  return {
    offered,
    admitted: offered - rejected,
    rejected,
    shed,
    goodputPerSec: completedInRun / (options.durationMs / 1000),
    p99Ms: latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] ?? 0,
  };
}
