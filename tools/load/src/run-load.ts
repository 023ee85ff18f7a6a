import { systemClock, type Clock } from './clock.ts';
import { HttpDriver } from './http-driver.ts';
import type { LoadMetrics } from './load-metrics.ts';
import { summarizeLoad, type LoadResult, type ProgressSnapshot } from './load-result.ts';
import { LoadSession } from './load-session.ts';
import { defaultMix, RequestPlanner, type MixWeights } from './mix.ts';
import { randomSeed } from './prng.ts';
import { buildProfile, type ProfileOptions } from './profiles/profiles.ts';
import type { RequestRecord } from './recorder.ts';
import { runOpenLoop } from './scheduler.ts';
import { assertTargetsAllowed, type Targets } from './targets.ts';

export type { KindResult, LoadResult, ProgressSnapshot } from './load-result.ts';

/** Options of {@link runLoad}. */
export interface RunLoadOptions {
  /** Where to send; see `resolveTargets`. */
  targets: Targets;
  /** Allow targets off this machine that were not named by a flag or the environment. @default false */
  allowRemote?: boolean;
  /** The arrival-rate profile. @default steady 20 req/s for 60 s */
  profile?: ProfileOptions;
  /** Weights of the request kinds. @default defaultMix */
  mix?: MixWeights;
  /** Seed of the mix and the generated data. @default a random seed (reported in the result) */
  seed?: number;
  /** Stop after this many requests were due. @default 10_000_000 */
  maxRequests?: number;
  /** Most requests outstanding at once; due requests beyond it are dropped and counted. @default 1024 */
  maxInFlight?: number;
  /** Keep-alive connections per endpoint. @default equal to maxInFlight, so the pool never queues */
  connections?: number;
  /** Per-request timeout in ms; also how long in-flight requests may take to finish at the end. @default 10_000 */
  timeoutMs?: number;
  /** Send one `GET /health` to every endpoint before the clock starts (not counted). @default true */
  warmUp?: boolean;
  /** Prometheus metrics to update. @default none */
  metrics?: LoadMetrics;
  /** Stops the run early (e.g. on SIGINT); the result is still returned. */
  signal?: AbortSignal;
  /** Time source. @default systemClock */
  clock?: Clock;
  /** Called every `progressIntervalMs` with live figures. */
  onProgress?: (progress: ProgressSnapshot) => void;
  /** Interval of `onProgress`, in ms. @default 1000 */
  progressIntervalMs?: number;
  /** Called with every completed request (scenarios collect ids and timings from it). */
  onRequest?: (record: RequestRecord, id: string | undefined) => void;
}

/**
 * Runs open-loop load against the services and returns what it measured. Refuses remote
 * targets that were not named (see `assertTargetsAllowed`) before sending anything.
 */
export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  assertTargetsAllowed(options.targets, options.allowRemote ?? false);
  const clock = options.clock ?? systemClock;
  const profile = buildProfile(options.profile);
  const seed = options.seed ?? randomSeed();
  const maxInFlight = options.maxInFlight ?? 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const driver = new HttpDriver(options.targets, {
    connections: options.connections ?? maxInFlight,
    timeoutMs,
  });
  if (options.warmUp ?? true) await driver.warmUp();
  const startedAt = new Date().toISOString();
  const session = new LoadSession({
    clock,
    driver,
    planner: new RequestPlanner(seed, options.mix ?? defaultMix),
    profile,
    requestIdPrefix: `load-${(seed >>> 0).toString(16)}`,
    metrics: options.metrics,
    onProgress: options.onProgress,
    onRequest: options.onRequest,
  });
  const progressTimer = setInterval(session.reportProgress, options.progressIntervalMs ?? 1000);
  let scheduled: Awaited<ReturnType<typeof runOpenLoop>>;
  try {
    scheduled = await runOpenLoop({
      schedule: profile.schedule,
      fire: session.fire,
      drop: session.drop,
      maxRequests: options.maxRequests ?? 10_000_000,
      maxInFlight,
      clock,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    // After SIGINT the user wants the summary now, not after the slowest request.
    await drain(session.pending, scheduled.aborted ? Math.min(timeoutMs, 2000) : timeoutMs + 1000);
  } finally {
    clearInterval(progressTimer);
    await driver.close();
  }
  // Requests cut off by close() still settle and are recorded as errors.
  await Promise.allSettled([...session.pending]);
  session.reportProgress();
  options.metrics?.setState(0, 0);
  return summarizeLoad(session.recorder, {
    seed,
    profile,
    targets: options.targets,
    startedAt,
    startMs: session.startMs,
    firstSendMs: session.firstSendMs,
    lastSendMs: session.lastSendMs,
    lastEndMs: session.lastEndMs,
    scheduled,
  });
}

async function drain(pending: Set<Promise<void>>, limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs);
  });
  await Promise.race([Promise.allSettled([...pending]), limit]);
  clearTimeout(timer);
}
