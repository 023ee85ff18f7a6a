import { errorBrand, hasBrand } from './brand.ts';

/** One thing wrong with the configuration. */
export interface ConfigProblem {
  /** The dotted key (`payment.timeoutMs`), or `''` for a source as a whole (an unreadable file). */
  readonly key: string;
  /**
   * Who supplied the value: `env:PAYMENT__TIMEOUT_MS`, `file:/etc/app/config.json`,
   * `configmap:/etc/config/port`, `redis:config:payment/chaos.errorRate`, `default`, or
   * `unset` when no source set a required key.
   */
  readonly source: string;
  /** Why it was rejected. Never contains a secret's value. */
  readonly reason: string;
}

const brand = 'ConfigValidationError';

/**
 * The configuration is invalid. One error lists every problem, each with its key, the source
 * that supplied the value and the reason, so one failed start shows everything to fix.
 */
export class ConfigValidationError extends Error {
  /** Stable code for programs; do not parse the message. */
  static readonly code = 'ERR_CONFIG_INVALID';
  readonly code = ConfigValidationError.code;
  override readonly name = 'ConfigValidationError';
  readonly problems: readonly ConfigProblem[];
  readonly [errorBrand] = brand;

  constructor(problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.problems = Object.freeze([...problems]);
  }
}

/** True for a {@link ConfigValidationError}, also one thrown by another copy of this package. */
export function isConfigValidationError(value: unknown): value is ConfigValidationError {
  return hasBrand(value, brand);
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((p) => `  - ${p.key === '' ? '(source)' : p.key}: ${p.reason} [${p.source}]`);
  return [`Invalid configuration (${count}):`, ...lines].join('\n');
}
