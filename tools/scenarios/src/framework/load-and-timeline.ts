import { resolveTargets, runLoad, type LoadResult, type ProfileOptions } from '@shipshape/load';
import type { RunMode } from './run-mode.ts';
import type { ScenarioContext, ScenarioDefinition } from './scenario.ts';
import { runTimeline, type TimelineEvent } from './timeline.ts';

// The middle of a scenario run (see runScenario): the load and the fault timeline on one clock.

/** What the load and the timeline read of `RunScenarioOptions`. */
export interface LoadAndTimelineOptions {
  readonly mode: RunMode;
  /** Seed of the load's mix and data. @default random */
  readonly seed?: number;
  /** Interval of load progress lines, ms. @default 5_000 */
  readonly progressIntervalMs?: number;
  /** Stops the load and the timeline early. */
  readonly signal?: AbortSignal;
}

/** The run's timeline clock: ms since the load started (restarted when it starts). */
export class RunClock {
  originMs = performance.now();
  readonly elapsedMs = (): number => performance.now() - this.originMs;
  restart(): void {
    this.originMs = performance.now();
  }
}

/**
 * Starts the samplers, then the load and the timeline on one clock; stops the load
 * `stopAfterTimelineMs` after the timeline ends, or when the caller's signal aborts. Resolves
 * once both are done and the samplers took a last sample and stopped.
 */
export async function runLoadAndTimeline(
  definition: ScenarioDefinition<unknown>,
  context: ScenarioContext,
  options: LoadAndTimelineOptions,
  clock: RunClock,
  watch: ReturnType<NonNullable<ScenarioDefinition<unknown>['watch']>>,
): Promise<{ load: LoadResult; events: TimelineEvent[] }> {
  const plan = definition.load(options.mode, context);
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  // The load's clock and the timeline's start together.
  clock.restart();
  const interval = watch.intervalMs ?? 250;
  context.metrics.start(interval);
  context.readiness.start(interval);
  context.log(`${definition.name}: load ${describeLoad(plan.profile)} — mix ${JSON.stringify(plan.mix)}`);
  const loadPromise = startLoad(plan, context, options, abort.signal);
  const timelinePromise = startTimeline(definition, context, options.mode, abort.signal);
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
  await context.metrics.sample();
  await Promise.all([context.metrics.stop(), context.readiness.stop()]);
  return { load, events };
}

/** The open-loop load of the plan against the environment's load URLs, logging progress. */
function startLoad(
  plan: ReturnType<ScenarioDefinition<unknown>['load']>,
  context: ScenarioContext,
  options: LoadAndTimelineOptions,
  signal: AbortSignal,
): Promise<LoadResult> {
  const join = (service: 'user' | 'order' | 'payment'): string =>
    context.environment.loadUrls(service).join(',');
  const targets = resolveTargets({ user: join('user'), order: join('order'), payment: join('payment') }, {});
  return runLoad({
    targets,
    profile: plan.profile,
    mix: plan.mix,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    maxInFlight: plan.maxInFlight ?? 512,
    timeoutMs: plan.timeoutMs ?? 10_000,
    warmUp: false,
    signal,
    onRequest: context.requests.record,
    progressIntervalMs: options.progressIntervalMs ?? 5_000,
    onProgress: (p) =>
      context.log(
        `[${(p.elapsedMs / 1000).toFixed(0).padStart(4)}s] target ${p.targetRate.toFixed(0)}/s` +
          ` sent ${p.sent} done ${p.completed} in-flight ${p.inFlight} | p99 ${p.latency.p99Ms.toFixed(0)}ms | ` +
          [...p.statuses].map(([s, n]) => `${s}:${n}`).join(' '),
      ),
  });
}

/** The scenario's fault timeline, logging each step as it starts, is skipped or fails. */
function startTimeline(
  definition: ScenarioDefinition<unknown>,
  context: ScenarioContext,
  mode: RunMode,
  signal: AbortSignal,
): Promise<TimelineEvent[]> {
  return runTimeline({
    steps: definition.timeline(mode),
    context,
    fault: mode.fault,
    elapsedMs: context.elapsedMs,
    signal,
    onEvent: (event, phase) => {
      const at = `[${(context.elapsedMs() / 1000).toFixed(1).padStart(5)}s]`;
      if (event.skipped) context.log(`${at} skipped (--no-fault): ${event.name}`);
      else if (phase === 'start') context.log(`${at} ${event.name}`);
      else if (event.error !== undefined) context.log(`${at} FAILED ${event.name}: ${event.error}`);
    },
  });
}

function describeLoad(o: ProfileOptions): string {
  return `${o.profile ?? 'steady'} ${o.rate ?? 20} req/s for ${((o.durationMs ?? 60_000) / 1000).toFixed(0)} s`;
}
