import type { LatencySummary } from './latency-histogram.ts';
import type { RequestKind } from './mix.ts';
import type { Profile } from './profiles/profiles.ts';
import type { IntervalSnapshot, Recorder } from './recorder.ts';
import type { Targets } from './targets.ts';

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

/** What {@link summarizeLoad} reads besides the recorder. */
export interface LoadRunFigures {
  readonly seed: number;
  readonly profile: Profile;
  readonly targets: Targets;
  readonly startedAt: string;
  readonly startMs: number;
  /** First and last send, and last response, on the run's clock (ms). */
  readonly firstSendMs: number | undefined;
  readonly lastSendMs: number;
  readonly lastEndMs: number;
  /** What the open loop reported: requests fired and dropped, and whether it was stopped. */
  readonly scheduled: { readonly fired: number; readonly dropped: number; readonly aborted: boolean };
}

/** Builds the {@link LoadResult} of a finished run from its recorder and its figures. */
export function summarizeLoad(recorder: Recorder, run: LoadRunFigures): LoadResult {
  const { scheduled, profile } = run;
  const totals = recorder.totals();
  const due = scheduled.fired + scheduled.dropped;
  const sendWindowMs = run.firstSendMs === undefined ? 0 : run.lastSendMs - run.firstSendMs;
  const scheduleMs = due > 0 ? profile.schedule.intendedOffsetMs(due - 1) : 0;
  return {
    seed: run.seed,
    profile: profile.options,
    targets: Object.fromEntries(
      Object.entries(run.targets).map(([service, target]) => [service, target.urls.map((url) => url.href)]),
    ),
    startedAt: run.startedAt,
    elapsedMs: Math.max(run.lastEndMs, run.lastSendMs) - run.startMs,
    interrupted: scheduled.aborted,
    scheduled: due,
    sent: totals.sent,
    dropped: totals.dropped,
    completed: totals.completed,
    targetRate: scheduleMs > 0 ? ((due - 1) * 1000) / scheduleMs : 0,
    achievedRate: sendWindowMs > 0 ? ((totals.sent - 1) * 1000) / sendWindowMs : 0,
    statuses: Object.fromEntries(recorder.statuses()),
    errors: Object.fromEntries([...recorder.errors].sort(([, a], [, b]) => b - a)),
    latency: recorder.latency.summary(),
    serviceTime: recorder.serviceTime.summary(),
    sendLag: recorder.sendLag.summary(),
    kinds: summarizeKinds(recorder),
  };
}

function summarizeKinds(recorder: Recorder): LoadResult['kinds'] {
  return Object.fromEntries(
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
  );
}
