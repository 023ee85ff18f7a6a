import { resolveTargets, runLoad, type LoadResult, type ProfileOptions } from '@shipshape/load';
import type { ScenarioEnvironment } from '../environment/environment.ts';
import { startLocalEnvironment } from '../environment/local-environment.ts';
import { MetricSampler } from '../observe/metric-sampler.ts';
import { ReadinessSampler } from '../observe/readiness-sampler.ts';
import { RequestLog } from '../observe/request-log.ts';
import { checkHypotheses, type HypothesisResult } from './hypothesis.ts';
import type { RunMode } from './run-mode.ts';
import type { ScenarioContext, ScenarioDefinition } from './scenario.ts';
import { ScenarioUnsupportedError } from './scenario-unsupported-error.ts';
import { runTimeline, type TimelineEvent } from './timeline.ts';
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
  const { mode } = options;
  const log = options.log ?? (() => undefined);
  if (options.target && definition.requiresLocal) {
    throw new ScenarioUnsupportedError(
      `${definition.name} injects its fault on this machine (signals or a Redis restart) and cannot run against --target`,
    );
  }
  const startedAt = new Date();
  const wallStart = performance.now();
  log(
    `${definition.name}: starting ${options.target ? 'against the target' : 'Redis and the services on this machine'}`,
  );
  const environment =
    options.target ??
    (await startLocalEnvironment({
      setup: definition.setup(mode),
      ...(options.showServiceLogs === undefined ? {} : { showLogs: options.showServiceLogs }),
    }));
  let cleanupContext: ScenarioContext | undefined;
  if (environment.mode === 'local') {
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
  }
  try {
    let originMs = performance.now();
    const elapsedMs = (): number => performance.now() - originMs;
    const watch = definition.watch?.(mode) ?? {};
    const metrics = new MetricSampler(environment, watch.metrics ?? [], elapsedMs);
    const readiness = new ReadinessSampler(environment, watch.readiness ?? [], elapsedMs);
    const requests = new RequestLog(() => originMs);
    const context: ScenarioContext = {
      environment,
      mode,
      elapsedMs,
      log,
      requests,
      metrics,
      readiness,
      notes: new Map(),
      stopped: options.signal ?? new AbortController().signal,
    };
    cleanupContext = context;
    await definition.prepare?.(context);

    const plan = definition.load(mode, context);
    const join = (service: 'user' | 'order' | 'payment'): string => environment.loadUrls(service).join(',');
    const targets = resolveTargets(
      { user: join('user'), order: join('order'), payment: join('payment') },
      {},
    );
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    options.signal?.addEventListener('abort', stop, { once: true });

    // The load's clock and the timeline's start together.
    originMs = performance.now();
    const interval = watch.intervalMs ?? 250;
    metrics.start(interval);
    readiness.start(interval);
    log(`${definition.name}: load ${describeLoad(plan.profile)} — mix ${JSON.stringify(plan.mix)}`);
    const loadPromise = runLoad({
      targets,
      profile: plan.profile,
      mix: plan.mix,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      maxInFlight: plan.maxInFlight ?? 512,
      timeoutMs: plan.timeoutMs ?? 10_000,
      warmUp: false,
      signal: abort.signal,
      onRequest: requests.record,
      progressIntervalMs: options.progressIntervalMs ?? 5_000,
      onProgress: (p) =>
        log(
          `[${(p.elapsedMs / 1000).toFixed(0).padStart(4)}s] target ${p.targetRate.toFixed(0)}/s` +
            ` sent ${p.sent} done ${p.completed} in-flight ${p.inFlight} | p99 ${p.latency.p99Ms.toFixed(0)}ms | ` +
            [...p.statuses].map(([s, n]) => `${s}:${n}`).join(' '),
        ),
    });
    const timelinePromise = runTimeline({
      steps: definition.timeline(mode),
      context,
      fault: mode.fault,
      elapsedMs,
      signal: abort.signal,
      onEvent: (event, phase) => {
        const at = `[${(elapsedMs() / 1000).toFixed(1).padStart(5)}s]`;
        if (event.skipped) log(`${at} skipped (--no-fault): ${event.name}`);
        else if (phase === 'start') log(`${at} ${event.name}`);
        else if (event.error !== undefined) log(`${at} FAILED ${event.name}: ${event.error}`);
      },
    });
    let tailTimer: NodeJS.Timeout | undefined;
    if (plan.stopAfterTimelineMs !== undefined) {
      const tailMs = plan.stopAfterTimelineMs;
      void timelinePromise.then(() => {
        tailTimer = setTimeout(stop, tailMs);
      });
    }
    let load: LoadResult;
    let events: TimelineEvent[];
    try {
      [load, events] = await Promise.all([loadPromise, timelinePromise]);
    } finally {
      clearTimeout(tailTimer);
      abort.abort();
      options.signal?.removeEventListener('abort', stop);
    }
    await metrics.sample();
    await Promise.all([metrics.stop(), readiness.stop()]);

    if (options.signal?.aborted === true) {
      // Stopped early: the timeline is incomplete, so the hypotheses cannot be judged.
      return {
        ...verdictBase(definition, mode, environment, load, events, startedAt, wallStart),
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
    log(`${definition.name}: load done (${load.sent} sent); observing`);
    const observations = await definition.observe({ ...context, load, events });
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
    return {
      ...verdictBase(definition, mode, environment, load, events, startedAt, wallStart),
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

function verdictBase(
  definition: ScenarioDefinition<unknown>,
  mode: RunMode,
  environment: ScenarioEnvironment,
  load: LoadResult,
  events: readonly TimelineEvent[],
  startedAt: Date,
  wallStart: number,
): Omit<Verdict, 'passed' | 'hypotheses' | 'observations'> {
  return {
    scenario: definition.name,
    title: definition.title,
    mode,
    environment: environment.mode,
    seed: load.seed,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - wallStart),
    timeline: events,
    load: loadFigures(load),
  };
}

function describeLoad(o: ProfileOptions): string {
  return `${o.profile ?? 'steady'} ${o.rate ?? 20} req/s for ${((o.durationMs ?? 60_000) / 1000).toFixed(0)} s`;
}
