// @shipshape/console — the experiment console: a live topology from the services' own /metrics,
// chaos and load controls, dead-letter replay and fault scenarios with their verdicts.
export {
  startConsole,
  defaultConsolePort,
  type ConsoleOptions,
  type ConsoleServer,
} from './console-server.ts';
export { Scraper, type ScraperOptions } from './scraper.ts';
export { buildSnapshot, edgeIds } from './snapshot.ts';
export {
  counterIncrease,
  histogramQuantile,
  gaugeValues,
  type ReplicaSamples,
  type LabelFilter,
} from './metric-window.ts';
export { RequestGuard, type Refusal, type RequestGuardOptions } from './request-guard.ts';
export { ChaosControl, chaosKeys } from './chaos-control.ts';
export { LoadControl, LoadRequestError, maxLoadSeconds } from './load-control.ts';
export {
  ExperimentRunner,
  ExperimentRequestError,
  type ExperimentRunnerOptions,
} from './experiment-runner.ts';
export { parseConsoleArgs, consoleUsage, ConsoleUsageError, type ConsoleSettings } from './console-args.ts';
export type * from '../shared/console-state.ts';
