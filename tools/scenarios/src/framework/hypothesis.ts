import type { RunMode } from './run-mode.ts';

/** The outcome of checking one hypothesis against what a run observed. */
export interface Finding {
  readonly pass: boolean;
  /** What was measured, with its unit: `opened 1.2 s after the kill`. */
  readonly observed: string;
  /** The threshold it was held to: `≤ 5 s`. */
  readonly expected: string;
}

/**
 * A falsifiable statement about the system under a fault, and how to check it: a pure function
 * of the scenario's observations (so recorded observations can be re-checked in unit tests).
 */
export interface Hypothesis<Obs> {
  /** Short kebab-case id, stable across versions: `breaker-opens`. */
  readonly id: string;
  /** The claim in one sentence: `the payment breaker opens within 5 s of the outage`. */
  readonly statement: string;
  /** Checks the claim. Must fail when the observation needed is missing. */
  check(observations: Obs, mode: RunMode): Finding;
}

/** A checked hypothesis, as reported. */
export interface HypothesisResult extends Finding {
  readonly id: string;
  readonly statement: string;
}

/** Checks every hypothesis; a check that throws counts as a failure that names the error. */
export function checkHypotheses<Obs>(
  hypotheses: readonly Hypothesis<Obs>[],
  observations: Obs,
  mode: RunMode,
): HypothesisResult[] {
  return hypotheses.map((hypothesis) => {
    let finding: Finding;
    try {
      finding = hypothesis.check(observations, mode);
    } catch (error) {
      finding = { pass: false, observed: `check failed: ${(error as Error).message}`, expected: '-' };
    }
    return { id: hypothesis.id, statement: hypothesis.statement, ...finding };
  });
}

/** Formats a measured figure; `undefined` (not observed) becomes `not observed`. */
export type FigureFormat = (value: number) => string;

const plain: FigureFormat = (value) => String(value);

/** `value ≤ limit`; an unobserved value fails. */
export function atMost(value: number | undefined, limit: number, format: FigureFormat = plain): Finding {
  return {
    pass: value !== undefined && Number.isFinite(value) && value <= limit,
    observed: value === undefined ? 'not observed' : format(value),
    expected: `≤ ${format(limit)}`,
  };
}

/** `value ≥ limit`; an unobserved value fails. */
export function atLeast(value: number | undefined, limit: number, format: FigureFormat = plain): Finding {
  return {
    pass: value !== undefined && !Number.isNaN(value) && value >= limit,
    observed: value === undefined ? 'not observed' : format(value),
    expected: `≥ ${format(limit)}`,
  };
}

/** `|value − target| ≤ tolerance × target`; an unobserved value fails. */
export function within(
  value: number | undefined,
  target: number,
  tolerance: number,
  format: FigureFormat = plain,
): Finding {
  const deviation = value === undefined ? undefined : (value - target) / target;
  return {
    pass: deviation !== undefined && Math.abs(deviation) <= tolerance,
    observed:
      value === undefined || deviation === undefined
        ? 'not observed'
        : `${format(value)} (${deviation >= 0 ? '+' : ''}${(deviation * 100).toFixed(1)}%)`,
    expected: `${format(target)} ± ${(tolerance * 100).toFixed(0)}%`,
  };
}

/** Every one of several findings must pass; observed and expected are joined with `; `. */
export function allOf(...findings: Finding[]): Finding {
  return {
    pass: findings.every((f) => f.pass),
    observed: findings.map((f) => f.observed).join('; '),
    expected: findings.map((f) => f.expected).join('; '),
  };
}

/** Seconds with one decimal (`1.3 s`), from milliseconds. */
export const seconds: FigureFormat = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** Milliseconds, rounded (`412 ms`). */
export const millis: FigureFormat = (ms) => `${Math.round(ms)} ms`;
/** A ratio as a percentage with one decimal (`99.2%`). */
export const percent: FigureFormat = (ratio) => `${(ratio * 100).toFixed(1)}%`;
/** Requests per second with one decimal. */
export const perSecond: FigureFormat = (rate) => `${rate.toFixed(1)}/s`;
