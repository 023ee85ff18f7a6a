const brand = Symbol.for('shipshape.scenarios.ScenarioUnsupportedError');

/**
 * A scenario cannot run where it was pointed: its fault needs this machine's processes or Redis
 * (`--target` cannot SIGKILL a remote service), or a setting it needs was not given. Nothing was
 * sent when it is raised before the run.
 */
export class ScenarioUnsupportedError extends Error {
  override readonly name = 'ScenarioUnsupportedError';
  /** Stable code. */
  readonly code = 'ERR_SCENARIO_UNSUPPORTED';
  readonly [brand] = true;
}

/** Whether `value` is a {@link ScenarioUnsupportedError} (by brand, not only `instanceof`). */
export function isScenarioUnsupportedError(value: unknown): value is ScenarioUnsupportedError {
  return typeof value === 'object' && value !== null && brand in value;
}
