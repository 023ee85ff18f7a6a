import {
  runScenario,
  scenarios,
  type ScenarioContext,
  type ScenarioDefinition,
  type ScenarioEnvironment,
  type TimelineStep,
} from '@shipshape/scenarios';
import type { ExperimentView, ScenarioInfo, TimelineView } from '../shared/console-state.ts';

/** Grafana dashboard (uid, as provisioned from infra/grafana/dashboards) that shows each scenario best. */
const dashboardOf: Readonly<Record<string, string>> = {
  'payment-outage': 'shipshape-resilience',
  'payment-latency': 'shipshape-resilience',
  'traffic-burst': 'shipshape-resilience',
  'redis-blip': 'shipshape-resilience',
  'redis-failover': 'shipshape-resilience',
  'rolling-restart': 'shipshape-overview',
  'poison-order': 'shipshape-queue',
  'slow-replica': 'shipshape-resilience',
  overload: 'shipshape-queue',
  soak: 'shipshape-runtime',
};

/** An experiment request from the page that cannot run. */
export class ExperimentRequestError extends Error {
  override readonly name = 'ExperimentRequestError';
  readonly code = 'ERR_CONSOLE_BAD_EXPERIMENT';
}

/** Options of {@link ExperimentRunner}. */
export interface ExperimentRunnerOptions {
  /** The console's system, for runs `where: 'target'`. */
  readonly target: ScenarioEnvironment;
  /** Called whenever an experiment changed (a step, a log line, the verdict). */
  readonly onChange: (experiments: readonly ExperimentView[]) => void;
  /**
   * Called with a private run's system once it is up (its replicas' URLs and a name), and with
   * undefined when the run ended. @default none
   */
  readonly onPrivateSystem?: (
    system:
      | { readonly urls: Record<'user' | 'order' | 'payment', readonly string[]>; readonly name: string }
      | undefined,
  ) => void;
  /** Finished runs kept. @default 10 */
  readonly keep?: number;
  readonly grafanaUrl?: string;
  readonly jaegerUrl?: string;
}

/**
 * Runs the fault scenarios of `@shipshape/scenarios` (`runScenario`, as `npm run scenario`
 * does), one at a time, on a private system or against the console's target, and keeps the
 * timeline, progress lines and verdict of the last runs for the page.
 */
export class ExperimentRunner {
  readonly #options: ExperimentRunnerOptions;
  readonly #runs: ExperimentView[] = [];
  #nextId = 1;
  #abort: AbortController | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(options: ExperimentRunnerOptions) {
    this.#options = options;
  }

  /** The scenarios, in the README's order. */
  static list(): ScenarioInfo[] {
    return Object.entries(scenarios).map(([name, d]) => ({
      name,
      title: d.title,
      privateOnly: d.requiresLocal,
    }));
  }

  /** The running and the last finished runs, newest first. */
  get experiments(): readonly ExperimentView[] {
    return this.#runs;
  }

  /**
   * Starts `scenario`; resolves with its id at once (the verdict arrives through `onChange`).
   * @throws ExperimentRequestError for an unknown scenario, a private-only one against the
   *   target, or while another experiment runs
   */
  start(scenario: string, options: { short: boolean; where: 'private' | 'target' }): number {
    const definition = scenarios[scenario];
    if (!definition) throw new ExperimentRequestError(`unknown scenario "${scenario}"`);
    if (options.where === 'target' && definition.requiresLocal)
      throw new ExperimentRequestError(
        `${scenario} injects its fault by signals or a Redis restart: run it on a private system`,
      );
    if (this.#abort) throw new ExperimentRequestError('an experiment is already running');
    const id = this.#nextId++;
    const mode = { short: options.short, fault: true };
    const steps = definition.timeline(mode);
    this.#runs.unshift({
      id,
      scenario,
      title: definition.title,
      short: options.short,
      where: options.where,
      startedAt: new Date().toISOString(),
      state: 'running',
      timeline: steps.map((s) => ({ name: s.name, plannedAtMs: s.atMs, state: 'pending' })),
      hypotheses: definition.hypotheses.map((h) => ({ id: h.id, statement: h.statement })),
      log: [],
      links: [],
    });
    this.#runs.splice((this.#options.keep ?? 10) + 1);
    this.#changed();
    const abort = new AbortController();
    this.#abort = abort;
    this.#running = this.#run(id, definition, mode, options.where, abort.signal).finally(() => {
      this.#abort = undefined;
    });
    return id;
  }

  /** Stops the running experiment (its verdict says it was cut short). */
  stop(): void {
    this.#abort?.abort();
  }

  /** Resolves once no experiment runs (a stopped one has cleaned up its private system). */
  settled(): Promise<void> {
    return this.#running;
  }

  async #run(
    id: number,
    definition: ScenarioDefinition<unknown>,
    mode: { short: boolean; fault: boolean },
    where: 'private' | 'target',
    signal: AbortSignal,
  ): Promise<void> {
    const started = Date.now();
    const onPrivate = where === 'private' ? this.#options.onPrivateSystem : undefined;
    const observed: ScenarioDefinition<unknown> = {
      ...definition,
      timeline: (m) => definition.timeline(m).map((step, i) => this.#observedStep(id, step, i)),
      prepare: async (context) => {
        const { environment } = context;
        onPrivate?.({
          urls: {
            user: environment.urls('user'),
            order: environment.urls('order'),
            payment: environment.urls('payment'),
          },
          name: `private system of ${definition.name} #${id}`,
        });
        await definition.prepare?.(context);
      },
    };
    try {
      const verdict = await runScenario(observed, {
        mode,
        ...(where === 'target' ? { target: this.#options.target } : {}),
        log: (line) => this.#update(id, (run) => ({ ...run, log: [...run.log, line].slice(-40) })),
        progressIntervalMs: 2_000,
        signal,
      });
      this.#update(id, (run) => ({
        ...run,
        state: verdict.passed ? 'passed' : 'failed',
        durationMs: verdict.durationMs,
        hypotheses: verdict.hypotheses.map((h) => ({ ...h })),
        timeline: verdict.timeline.map((e) => ({
          name: e.name,
          plannedAtMs: e.plannedAtMs,
          startedMs: e.startedMs,
          endedMs: e.endedMs,
          state: e.skipped ? 'skipped' : e.error !== undefined ? 'failed' : 'done',
          ...(e.error === undefined ? {} : { error: e.error }),
        })),
        links: where === 'target' ? this.#links(definition.name, started, Date.now()) : [],
      }));
    } catch (error) {
      this.#update(id, (run) => ({
        ...run,
        state: 'error',
        error: (error as Error).message,
        durationMs: Date.now() - started,
      }));
    } finally {
      onPrivate?.(undefined);
    }
  }

  #observedStep(
    id: number,
    step: TimelineStep<ScenarioContext>,
    index: number,
  ): TimelineStep<ScenarioContext> {
    const mark = (patch: Partial<TimelineView>): void =>
      this.#update(id, (run) => ({
        ...run,
        timeline: run.timeline.map((t, i) => (i === index ? { ...t, ...patch } : t)),
      }));
    return {
      ...step,
      run: async (context) => {
        mark({ state: 'running', startedMs: context.elapsedMs() });
        try {
          await step.run(context);
          mark({ state: 'done', endedMs: context.elapsedMs() });
        } catch (error) {
          mark({ state: 'failed', endedMs: context.elapsedMs(), error: (error as Error).message });
          throw error;
        }
      },
    };
  }

  #links(scenario: string, fromMs: number, toMs: number): { label: string; href: string }[] {
    const links: { label: string; href: string }[] = [];
    const { grafanaUrl, jaegerUrl } = this.#options;
    if (grafanaUrl)
      links.push({
        label: 'Grafana',
        href: `${grafanaUrl.replace(/\/$/, '')}/d/${dashboardOf[scenario] ?? 'shipshape-overview'}?from=${fromMs}&to=${toMs}`,
      });
    if (jaegerUrl)
      links.push({
        label: 'Jaeger',
        href: `${jaegerUrl.replace(/\/$/, '')}/search?service=order&start=${fromMs * 1000}&end=${toMs * 1000}&limit=20`,
      });
    return links;
  }

  #update(id: number, change: (run: ExperimentView) => ExperimentView): void {
    const i = this.#runs.findIndex((r) => r.id === id);
    if (i < 0) return;
    this.#runs[i] = change(this.#runs[i]!);
    this.#changed();
  }

  #changed(): void {
    this.#options.onChange(this.#runs);
  }
}
