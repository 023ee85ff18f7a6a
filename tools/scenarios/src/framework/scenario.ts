import type { LoadResult, MixWeights, ProfileOptions } from '@shipshape/load';
import type { ServiceName } from '@shipshape/stack';
import type { ScenarioEnvironment } from '../environment/environment.ts';
import type { LocalSetup } from '../environment/local-environment.ts';
import type { MetricSampler, MetricWatch } from '../observe/metric-sampler.ts';
import type { ReadinessSampler } from '../observe/readiness-sampler.ts';
import type { RequestLog } from '../observe/request-log.ts';
import type { Hypothesis } from './hypothesis.ts';
import type { RunMode } from './run-mode.ts';
import type { TimelineEvent, TimelineStep } from './timeline.ts';

/** The open-loop load a scenario runs while its timeline plays. */
export interface LoadPlan {
  /** Arrival-rate profile (`@shipshape/load`). */
  readonly profile: ProfileOptions;
  /** Request kinds and weights. */
  readonly mix: MixWeights;
  /** Outstanding requests cap; due requests beyond it are dropped and counted. @default 512 */
  readonly maxInFlight?: number;
  /** Per-request timeout, ms. @default 10_000 */
  readonly timeoutMs?: number;
  /**
   * End the load this long after the timeline finished instead of at the profile's end (for
   * timelines whose length depends on the system, like a rolling restart). The profile's
   * duration is then an upper bound. @default undefined: the profile's duration
   */
  readonly stopAfterTimelineMs?: number;
}

/** What a scenario follows while it runs. */
export interface WatchPlan {
  /** Figures scraped from `/metrics` every `intervalMs`. @default none */
  readonly metrics?: readonly MetricWatch[];
  /** Services whose replicas' `GET /ready` is polled every `intervalMs`. @default none */
  readonly readiness?: readonly ServiceName[];
  /** Sampling interval, ms. @default 250 */
  readonly intervalMs?: number;
}

/** What fault steps and `observe` work with. */
export interface ScenarioContext {
  readonly environment: ScenarioEnvironment;
  readonly mode: RunMode;
  /** Milliseconds since the load started (the timeline's clock). */
  readonly elapsedMs: () => number;
  /** Writes one progress line (stderr in the CLI). */
  readonly log: (line: string) => void;
  readonly requests: RequestLog;
  readonly metrics: MetricSampler;
  readonly readiness: ReadinessSampler;
  /** Values fault steps leave for `observe` (process ids before a restart, say). */
  readonly notes: Map<string, unknown>;
  /** Aborted when the run is stopped early (Ctrl-C): long waits in `observe` should end. */
  readonly stopped: AbortSignal;
}

/** What `observe` gets after the load and the timeline finished. */
export interface ObserveContext extends ScenarioContext {
  readonly load: LoadResult;
  readonly events: readonly TimelineEvent[];
}

/**
 * A self-verifying fault scenario: what to start, the load, the fault on a timeline, what to
 * observe, and the hypotheses the observations must satisfy. `Obs` is a plain JSON-able record,
 * so hypotheses can be re-checked against recorded observations in unit tests.
 */
export interface ScenarioDefinition<Obs> {
  /** CLI name: `payment-outage`. */
  readonly name: string;
  /** One line: what is broken and what should happen. */
  readonly title: string;
  /**
   * The defence the scenario exercises, switched off by `--no-defence` (its `setup` reads
   * `defenceOn(mode)`): `hedging`, `adaptive concurrency limit`. @default none: `--no-defence`
   * is refused
   */
  readonly defence?: string;
  /** Whether the fault needs this machine's processes or Redis (refused with `--target`). */
  readonly requiresLocal: boolean;
  /** Processes and settings to start on this machine. */
  setup(mode: RunMode): LocalSetup;
  /** The load; called after `prepare`, so it may use what `prepare` read (the target's limits). */
  load(mode: RunMode, context: ScenarioContext): LoadPlan;
  watch?(mode: RunMode): WatchPlan;
  /** The fault (and any clean-up actions) on the load's clock. */
  timeline(mode: RunMode): readonly TimelineStep<ScenarioContext>[];
  /** Runs after the environment is up and before the load starts (read settings, warm up). */
  prepare?(context: ScenarioContext): Promise<void>;
  /** Runs after the load and `observe`, also when they failed: undo runtime settings on a target. */
  cleanup?(context: ScenarioContext): Promise<void>;
  /** Turns what happened into the observations the hypotheses check (may wait for settling). */
  observe(context: ObserveContext): Promise<Obs>;
  readonly hypotheses: readonly Hypothesis<Obs>[];
}

/** Identity helper that infers `Obs` from `observe` and types the hypotheses against it. */
export function defineScenario<Obs>(definition: ScenarioDefinition<Obs>): ScenarioDefinition<Obs> {
  return definition;
}
