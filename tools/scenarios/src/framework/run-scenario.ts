import type { LoadResult } from '@shipshape/load';
import type { ScenarioEnvironment } from '../environment/environment.ts';
import { startLocalEnvironment } from '../environment/local-environment.ts';
import { MetricSampler } from '../observe/metric-sampler.ts';
import { ReadinessSampler } from '../observe/readiness-sampler.ts';
import { RequestLog } from '../observe/request-log.ts';
import { checkHypotheses, type HypothesisResult } from './hypothesis.ts';
import { RunClock, runLoadAndTimeline } from './load-and-timeline.ts';
import type { RunMode } from './run-mode.ts';
import type { ScenarioContext, ScenarioDefinition } from './scenario.ts';
import { ScenarioUnsupportedError } from './scenario-unsupported-error.ts';
import type { TimelineEvent } from './timeline.ts';
import { loadFigures, type Verdict } from './verdict.ts';

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  readonly mode: RunMode;
  /**
   * A running system to target (`--target`). @default undefined: start Redis and the services
   * on this machine
   */
  readonly target?: ScenarioEnvironment;
  /** Seed of the load's mix and data. @default random (reported in the verdict) */
  readonly seed?: number;
  /** Progress lines (timeline events, load every few seconds). @default none */
  readonly log?: (line: string) => void;
  /** Interval of load progress lines, ms. @default 5_000 */
  readonly progressIntervalMs?: number;
  /** Print the services' log lines (prefixed) to stdout. @default false */
  readonly showServiceLogs?: boolean;
  /** Stops the load and the timeline early; hypotheses are still checked on what was seen. */
  readonly signal?: AbortSignal;
}

/**
 * Runs one scenario end to end: starts its environment (or uses the target), starts the
 * samplers, runs the open-loop load and the fault timeline together, lets the scenario observe
 * the outcome, checks every hypothesis and stops everything it started, also on errors.
 * @throws ScenarioUnsupportedError when the fault needs this machine but a target was given
 */
export async function runScenario<Obs>(
  definition: ScenarioDefinition<Obs>,
  options: RunScenarioOptions,
): Promise<Verdict<Obs>> {
  const log = options.log ?? (() => undefined);
  assertRunnable(definition, options);
  const run: RunStart = { startedAt: new Date(), wallStart: performance.now() };
  const environment = await openEnvironment(definition, options, log);
  let cleanupContext: ScenarioContext | undefined;
  try {
    const clock = new RunClock();
    const watch = definition.watch?.(options.mode) ?? {};
    const context = createContext(environment, options, watch, clock, log);
    cleanupContext = context;
    await definition.prepare?.(context);
    const { load, events } = await runLoadAndTimeline(definition, context, options, clock, watch);
    if (options.signal?.aborted === true) {
      return interruptedVerdict(definition, options.mode, environment, load, events, run);
    }
    log(`${definition.name}: load done (${load.sent} sent); observing`);
    const observations = await definition.observe({ ...context, load, events });
    const results = judge(definition, observations, options.mode, events);
    return {
      ...verdictBase(definition, options.mode, environment, load, events, run),
      passed: results.every((r) => r.pass),
      hypotheses: results,
      observations,
    };
  } finally {
    if (cleanupContext && definition.cleanup) {
      await definition.cleanup(cleanupContext).catch((error: unknown) => {
        log(`${definition.name}: cleanup failed: ${(error as Error).message}`);
      });
    }
    if (!options.target) await environment.close();
  }
}

/** When the run started: the verdict's `startedAt` and `durationMs`. */
interface RunStart {
  readonly startedAt: Date;
  readonly wallStart: number;
}

function assertRunnable(definition: ScenarioDefinition<unknown>, options: RunScenarioOptions): void {
  if (options.target && definition.requiresLocal) {
    throw new ScenarioUnsupportedError(
      `${definition.name} injects its fault on this machine (signals or a Redis restart) and cannot run against --target`,
    );
  }
}

/** The target, or Redis and the services started on this machine for the scenario's setup. */
async function openEnvironment(
  definition: ScenarioDefinition<unknown>,
  options: RunScenarioOptions,
  log: (line: string) => void,
): Promise<ScenarioEnvironment> {
  log(
    `${definition.name}: starting ${options.target ? 'against the target' : 'Redis and the services on this machine'}`,
  );
  if (options.target) return options.target;
  const environment = await startLocalEnvironment({
    setup: definition.setup(options.mode),
    ...(options.showServiceLogs === undefined ? {} : { showLogs: options.showServiceLogs }),
  });
  const hosts = (['user', 'order', 'payment'] as const).map(
    (service) =>
      `--${service} ${environment
        .urls(service)
        .map((url) => new URL(url).host)
        .join(',')}`,
  );
  log(
    `${definition.name}: services up; to scrape them: node infra/src/render-prometheus-local.ts ${hosts.join(' ')} --out /tmp/prometheus.yml`,
  );
  return environment;
}

/** The scenario's context: the environment, the samplers and the request log on the run clock. */
function createContext(
  environment: ScenarioEnvironment,
  options: RunScenarioOptions,
  watch: ReturnType<NonNullable<ScenarioDefinition<unknown>['watch']>>,
  clock: RunClock,
  log: (line: string) => void,
): ScenarioContext {
  return {
    environment,
    mode: options.mode,
    elapsedMs: clock.elapsedMs,
    log,
    requests: new RequestLog(() => clock.originMs),
    metrics: new MetricSampler(environment, watch.metrics ?? [], clock.elapsedMs),
    readiness: new ReadinessSampler(environment, watch.readiness ?? [], clock.elapsedMs),
    notes: new Map(),
    stopped: options.signal ?? new AbortController().signal,
  };
}

/** Stopped early: the timeline is incomplete, so the hypotheses cannot be judged. */
function interruptedVerdict<Obs>(
  definition: ScenarioDefinition<Obs>,
  mode: RunMode,
  environment: ScenarioEnvironment,
  load: LoadResult,
  events: readonly TimelineEvent[],
  run: RunStart,
): Verdict<Obs> {
  return {
    ...verdictBase(definition, mode, environment, load, events, run),
    passed: false,
    hypotheses: [
      {
        id: 'completed',
        statement: 'the run completed',
        pass: false,
        observed: `stopped after ${(load.elapsedMs / 1000).toFixed(1)} s`,
        expected: 'not interrupted',
      },
    ],
    observations: undefined,
  };
}

/** Every hypothesis checked against the observations, and a failed result per failed step. */
function judge<Obs>(
  definition: ScenarioDefinition<Obs>,
  observations: Obs,
  mode: RunMode,
  events: readonly TimelineEvent[],
): HypothesisResult[] {
  const results: HypothesisResult[] = checkHypotheses(definition.hypotheses, observations, mode);
  const failedSteps = events.filter((e) => e.error !== undefined);
  if (failedSteps.length > 0) {
    results.push({
      id: 'timeline',
      statement: 'every step of the timeline ran',
      pass: false,
      observed: failedSteps.map((e) => `${e.name}: ${e.error}`).join('; '),
      expected: 'no step failed',
    });
  }
  return results;
}

function verdictBase(
  definition: ScenarioDefinition<unknown>,
  mode: RunMode,
  environment: ScenarioEnvironment,
  load: LoadResult,
  events: readonly TimelineEvent[],
  run: RunStart,
): Omit<Verdict, 'passed' | 'hypotheses' | 'observations'> {
  return {
    scenario: definition.name,
    title: definition.title,
    mode,
    environment: environment.mode,
    seed: load.seed,
    startedAt: run.startedAt.toISOString(),
    durationMs: Math.round(performance.now() - run.wallStart),
    timeline: events,
    load: loadFigures(load),
  };
}
