import { systemClock, type Clock } from './clock.ts';
import { HttpDriver } from './http-driver.ts';
import { IdPool } from './id-pool.ts';
import type { LatencySummary } from './latency-histogram.ts';
import type { LoadMetrics } from './load-metrics.ts';
import { defaultMix, RequestPlanner, type MixWeights, type PlannedRequest, type RequestKind } from './mix.ts';
import { randomSeed } from './prng.ts';
import { buildProfile, type Profile, type ProfileOptions } from './profiles/profiles.ts';
import { Recorder, type IntervalSnapshot, type RequestRecord } from './recorder.ts';
import { buildRequest, type KnownIds } from './request-builder.ts';
import { runOpenLoop } from './scheduler.ts';
import { assertTargetsAllowed, type Targets } from './targets.ts';

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

/** Live figures for progress output. */
export interface ProgressSnapshot extends IntervalSnapshot {
  readonly targetRate: number;
  readonly inFlight: number;
  readonly statuses: ReadonlyMap<string, number>;
  readonly errors: ReadonlyMap<string, number>;
}

/** Final figures of one request kind. */
export interface KindResult {
  readonly sent: number;
  readonly dropped: number;
  readonly completed: number;
  readonly statuses: Record<string, number>;
  readonly latency: LatencySummary;
  readonly serviceTime: LatencySummary;
}

/** Everything a run measured. Latencies are ms. */
export interface LoadResult {
  readonly seed: number;
  readonly profile: Profile['options'];
  readonly targets: Record<string, string[]>;
  readonly startedAt: string;
  /** From the first due request to the last response, ms. */
  readonly elapsedMs: number;
  /** Whether the run was stopped early by the signal. */
  readonly interrupted: boolean;
  /** Requests due by the schedule (sent + dropped). */
  readonly scheduled: number;
  readonly sent: number;
  readonly dropped: number;
  readonly completed: number;
  /** Target rate averaged over the run: scheduled / schedule length, req/s. */
  readonly targetRate: number;
  /** Sends per second over the sending window. */
  readonly achievedRate: number;
  readonly statuses: Record<string, number>;
  readonly errors: Record<string, number>;
  /** Latency from the intended send time: coordinated-omission correct. */
  readonly latency: LatencySummary;
  /** Service time from the actual send: what a closed-loop tool would report. */
  readonly serviceTime: LatencySummary;
  /** How late the generator sent (actual − intended); large values mean the generator was the bottleneck. */
  readonly sendLag: LatencySummary;
  readonly kinds: Partial<Record<RequestKind, KindResult>>;
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
  const maxRequests = options.maxRequests ?? 10_000_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const planner = new RequestPlanner(seed, options.mix ?? defaultMix);
  const driver = new HttpDriver(options.targets, {
    connections: options.connections ?? maxInFlight,
    timeoutMs,
  });
  const ids: KnownIds = { users: new IdPool(), orders: new IdPool() };
  if (options.warmUp ?? true) await driver.warmUp();
  const requestIdPrefix = `load-${(seed >>> 0).toString(16)}`;
  const startedAt = new Date().toISOString();
  const startMs = clock.now();
  const recorder = new Recorder(startMs);
  const pending = new Set<Promise<void>>();
  let firstSendMs: number | undefined;
  let lastSendMs = startMs;
  let lastEndMs = startMs;

  // Plans are drawn in index order whether a request is sent or dropped, so the sequence of
  // kinds and bodies depends only on the seed.
  const plans = new Map<number, PlannedRequest>();
  const planFor = (index: number): PlannedRequest => {
    while (!plans.has(index)) {
      const plan = planner.next();
      plans.set(plan.index, plan);
    }
    const plan = plans.get(index)!;
    plans.delete(index);
    return plan;
  };

  const fire = (index: number, intendedMs: number): Promise<void> => {
    const spec = buildRequest(planFor(index), ids, requestIdPrefix);
    const sentMs = clock.now();
    firstSendMs ??= sentMs;
    lastSendMs = sentMs;
    recorder.recordSent(spec.kind, intendedMs, sentMs);
    const done = driver.send(spec).then((outcome) => {
      const endMs = clock.now();
      lastEndMs = Math.max(lastEndMs, endMs);
      const record: RequestRecord = {
        index,
        kind: spec.kind,
        intendedMs,
        sentMs,
        endMs,
        status: outcome.statusCode === undefined ? 'error' : String(outcome.statusCode),
        ...(outcome.errorCode === undefined ? {} : { errorCode: outcome.errorCode }),
      };
      if (outcome.id !== undefined && outcome.statusCode !== undefined && outcome.statusCode < 300) {
        (spec.kind === 'create-user' ? ids.users : ids.orders).add(outcome.id);
      }
      recorder.recordCompleted(record);
      options.metrics?.observe(record, spec.service, spec.method);
      options.onRequest?.(record, outcome.id);
    });
    pending.add(done);
    void done.finally(() => pending.delete(done));
    return done;
  };

  const drop = (index: number): void => {
    const kind = planFor(index).kind;
    recorder.recordDropped(kind);
    options.metrics?.dropped(kind);
  };

  const progressEvery = options.progressIntervalMs ?? 1000;
  const reportProgress = (): void => {
    const now = clock.now();
    const targetRate = profile.schedule.rateAt(now - startMs);
    options.metrics?.setState(targetRate, pending.size);
    options.onProgress?.({
      ...recorder.takeInterval(now),
      targetRate,
      inFlight: pending.size,
      statuses: recorder.statuses(),
      errors: recorder.errors,
    });
  };
  const progressTimer = setInterval(reportProgress, progressEvery);

  let scheduled: Awaited<ReturnType<typeof runOpenLoop>>;
  try {
    scheduled = await runOpenLoop({
      schedule: profile.schedule,
      fire,
      drop,
      maxRequests,
      maxInFlight,
      clock,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    // After SIGINT the user wants the summary now, not after the slowest request.
    await drain(pending, scheduled.aborted ? Math.min(timeoutMs, 2000) : timeoutMs + 1000);
  } finally {
    clearInterval(progressTimer);
    await driver.close();
  }
  // Requests cut off by close() still settle and are recorded as errors.
  await Promise.allSettled([...pending]);
  reportProgress();
  options.metrics?.setState(0, 0);

  const totals = recorder.totals();
  const sendWindowMs = firstSendMs === undefined ? 0 : lastSendMs - firstSendMs;
  const scheduleMs =
    scheduled.fired + scheduled.dropped > 0
      ? profile.schedule.intendedOffsetMs(scheduled.fired + scheduled.dropped - 1)
      : 0;
  return {
    seed,
    profile: profile.options,
    targets: Object.fromEntries(
      Object.entries(options.targets).map(([service, target]) => [
        service,
        target.urls.map((url) => url.href),
      ]),
    ),
    startedAt,
    elapsedMs: Math.max(lastEndMs, lastSendMs) - startMs,
    interrupted: scheduled.aborted,
    scheduled: scheduled.fired + scheduled.dropped,
    sent: totals.sent,
    dropped: totals.dropped,
    completed: totals.completed,
    targetRate: scheduleMs > 0 ? ((scheduled.fired + scheduled.dropped - 1) * 1000) / scheduleMs : 0,
    achievedRate: sendWindowMs > 0 ? ((totals.sent - 1) * 1000) / sendWindowMs : 0,
    statuses: Object.fromEntries(recorder.statuses()),
    errors: Object.fromEntries([...recorder.errors].sort(([, a], [, b]) => b - a)),
    latency: recorder.latency.summary(),
    serviceTime: recorder.serviceTime.summary(),
    sendLag: recorder.sendLag.summary(),
    kinds: Object.fromEntries(
      [...recorder.kinds].map(([kind, figures]) => [
        kind,
        {
          sent: figures.sent,
          dropped: figures.dropped,
          completed: figures.completed,
          statuses: Object.fromEntries(figures.statuses),
          latency: figures.latency.summary(),
          serviceTime: figures.serviceTime.summary(),
        },
      ]),
    ),
  };
}

async function drain(pending: Set<Promise<void>>, limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs);
  });
  await Promise.race([Promise.allSettled([...pending]), limit]);
  clearTimeout(timer);
}
