import { readFileSync } from 'node:fs';
import { checkHypotheses } from '../framework/hypothesis.ts';
import type { ScenarioDefinition } from '../framework/scenario.ts';

/** Observations of real runs, kept in `test/fixtures/<scenario>.observations.json`. */
export interface Recorded<Obs> {
  /** A `--short` run that passed. */
  readonly pass: Obs;
  /** A `--short --no-fault` run. */
  readonly noFault: Obs;
  /** The hypotheses that failed in the no-fault run. */
  readonly noFaultFailed: readonly string[];
  /** A `--short --no-defence` run, for scenarios that exercise a defence. */
  readonly noDefence?: Obs;
  /** The hypotheses that failed in the no-defence run. */
  readonly noDefenceFailed?: readonly string[];
}

/** Loads the recorded observations of `definition`. */
export function recorded<Obs>(definition: ScenarioDefinition<Obs>): Recorded<Obs> {
  const file = new URL(`../../test/fixtures/${definition.name}.observations.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as Recorded<Obs>;
}

/** The ids of the hypotheses `observations` fail, in definition order. */
export function failedHypotheses<Obs>(definition: ScenarioDefinition<Obs>, observations: Obs): string[] {
  return checkHypotheses(definition.hypotheses, observations, { short: true, fault: true })
    .filter((result) => !result.pass)
    .map((result) => result.id);
}

/** `T` with every `readonly` removed, at every depth. */
export type DeepMutable<T> = T extends readonly (infer E)[]
  ? DeepMutable<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;

/** A deep copy of `value` with `change` applied: one defect planted in recorded observations. */
export function mutate<T>(value: T, change: (copy: DeepMutable<T>) => void): T {
  const copy = structuredClone(value) as DeepMutable<T>;
  change(copy);
  return copy as T;
}
