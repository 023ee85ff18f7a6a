// Public surface of @shipshape/load: the programmatic runner (scenarios use it), its building
// blocks, and the metric names.

// Running load
export { runLoad } from './run-load.ts';
export type { RunLoadOptions, LoadResult, KindResult, ProgressSnapshot } from './run-load.ts';
export { runOpenLoop } from './scheduler.ts';
export type { OpenLoopOptions, OpenLoopResult } from './scheduler.ts';
export { systemClock } from './clock.ts';
export type { Clock } from './clock.ts';

// Profiles and traffic
export { buildProfile, profileNames, maxDurationMs, maxRate } from './profiles/profiles.ts';
export type { Profile, ProfileName, ProfileOptions } from './profiles/profiles.ts';
export { ArrivalSchedule } from './profiles/arrival-schedule.ts';
export { constant, ramp } from './profiles/segment.ts';
export type { Segment } from './profiles/segment.ts';
export { RequestPlanner, parseMix, defaultMix, requestKinds } from './mix.ts';
export type { MixWeights, PlannedRequest, PlannedItem, RequestKind } from './mix.ts';
export { createPrng } from './prng.ts';
export type { Prng } from './prng.ts';

// Targets and safety
export {
  resolveTargets,
  assertTargetsAllowed,
  isLoopbackHost,
  defaultTargetUrls,
  targetEnv,
} from './targets.ts';
export type { Target, Targets, TargetSource } from './targets.ts';
export { TargetRefusedError, isTargetRefusedError } from './target-refused-error.ts';

// Measurement and output
export { LatencyHistogram } from './latency-histogram.ts';
export type { LatencySummary } from './latency-histogram.ts';
export type { RequestRecord } from './recorder.ts';
export { LoadMetrics, loadMetricNames, contractBuckets } from './load-metrics.ts';
export { startMetricsServer } from './metrics-server.ts';
export type { MetricsServer } from './metrics-server.ts';
export { formatSummary } from './summary.ts';
export { rateLimitRefusals, formatRefusalNote, refusalNoteShare } from './refusals.ts';
export type { RateLimitRefusals } from './refusals.ts';
export { parseStatusCheck, evaluateStatusCheck } from './status-check.ts';
export type { StatusCheck, StatusCheckOutcome } from './status-check.ts';
export { parseDurationMs } from './duration.ts';
