// Public surface of @shipshape/scenarios: the scenario framework (definition, timeline,
// hypotheses, runner, verdict), what scenarios observe with, and the eight scenarios.

// Framework
export { defineScenario } from './framework/scenario.ts';
export type {
  LoadPlan,
  ObserveContext,
  ScenarioContext,
  ScenarioDefinition,
  WatchPlan,
} from './framework/scenario.ts';
export { defenceOn, pick, type RunMode } from './framework/run-mode.ts';
export { findEvent, runTimeline, type TimelineEvent, type TimelineStep } from './framework/timeline.ts';
export {
  allOf,
  atLeast,
  atMost,
  checkHypotheses,
  millis,
  percent,
  perSecond,
  seconds,
  within,
  type Finding,
  type Hypothesis,
  type HypothesisResult,
} from './framework/hypothesis.ts';
export { runScenario, type RunScenarioOptions } from './framework/run-scenario.ts';
export { formatVerdict, loadFigures, type LoadFigures, type Verdict } from './framework/verdict.ts';
export {
  ScenarioUnsupportedError,
  isScenarioUnsupportedError,
} from './framework/scenario-unsupported-error.ts';

// Environments
export type { LocalControls, ScenarioEnvironment, SettingValue } from './environment/environment.ts';
export {
  baseServiceEnv,
  startLocalEnvironment,
  type LocalEnvironmentOptions,
  type LocalSetup,
} from './environment/local-environment.ts';
export { targetEnvironment, type TargetEnvironmentOptions } from './environment/target-environment.ts';
export {
  startFrontDoor,
  type FrontDoor,
  type FrontDoorOptions,
  type FrontDoorStats,
} from './environment/front-door.ts';

// Observing
// The exposition reader is the test harness's one (`@shipshape/test-harness/exposition`).
export {
  parseExposition,
  sumSamples,
  maxSample,
  labelsMatch,
  type LabelMatchers,
  type Sample,
} from '@shipshape/test-harness/exposition';
export {
  MetricSampler,
  scrapeMetrics,
  firstPoint,
  increase,
  maxInWindow,
  type MetricPoint,
  type MetricRound,
  type MetricWatch,
} from './observe/metric-sampler.ts';
export { ReadinessSampler, type ReadinessRound, type ReadinessSummary } from './observe/readiness-sampler.ts';
export {
  RequestLog,
  isFailure,
  latencyPercentile,
  type CreatedOrder,
  type LoggedRequest,
} from './observe/request-log.ts';
export {
  auditOrders,
  finalOrderStatuses,
  type OrderAudit,
  type OrderAuditOptions,
} from './observe/order-audit.ts';

// The dead-letter tool (`npm run dlq`), as scenarios and the console run it
export { listDeadLetters, replayDeadLetters, type DeadLetterListing } from './scenarios/dead-letter-tool.ts';
export { parseTargets } from './cli-args.ts';

// Scenarios
export {
  scenarios,
  overload,
  paymentLatency,
  paymentOutage,
  poisonOrder,
  redisBlip,
  redisFailover,
  rollingRestart,
  slowReplica,
  soak,
  trafficBurst,
} from './scenarios/index.ts';
export type { PaymentOutageObservations } from './scenarios/payment-outage.ts';
export type { PaymentLatencyObservations } from './scenarios/payment-latency.ts';
export type { TrafficBurstObservations } from './scenarios/traffic-burst.ts';
export type { RedisBlipObservations } from './scenarios/redis-blip.ts';
export type { RedisFailoverObservations } from './scenarios/redis-failover.ts';
export type { RollingRestartObservations } from './scenarios/rolling-restart.ts';
export type { PoisonOrderObservations } from './scenarios/poison-order.ts';
export type { SlowReplicaObservations } from './scenarios/slow-replica.ts';
export type { OverloadObservations } from './scenarios/overload.ts';
