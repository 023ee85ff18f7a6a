const brand = Symbol.for('shipshape.stack.InvalidOverridesError');

/** One rejected `key=value`. */
export interface OverrideProblem {
  /** The key as the caller wrote it. */
  readonly key: string;
  readonly reason: string;
}

/**
 * Runtime settings that were refused before anything reached Redis: unknown keys, values the
 * service's schema rejects, keys that only apply at startup. Lists every problem.
 */
export class InvalidOverridesError extends Error {
  override readonly name = 'InvalidOverridesError';
  /** Stable code. */
  readonly code = 'ERR_STACK_INVALID_OVERRIDES';
  readonly problems: readonly OverrideProblem[];
  readonly [brand] = true;

  constructor(service: string, problems: readonly OverrideProblem[]) {
    const lines = problems.map((p) => `  - ${p.key}: ${p.reason}`);
    super(`Invalid ${service} settings (nothing was changed):\n${lines.join('\n')}`);
    this.problems = problems;
  }
}

/** Whether `value` is an {@link InvalidOverridesError} (by brand: works across copies of this package). */
export function isInvalidOverridesError(value: unknown): value is InvalidOverridesError {
  return typeof value === 'object' && value !== null && brand in value;
}
