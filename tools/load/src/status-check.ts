import { percent } from './refusals.ts';
import type { LoadResult } from './run-load.ts';

/**
 * The `--fail-on-status` rule: which statuses count against a run, and how large a share of
 * the completed requests they may take before the run fails (exit 3), for CI use.
 */
export interface StatusCheck {
  /** As given: `429`, `5xx`, `error` (transport failures and timeouts), comma-separated. */
  readonly statuses: readonly string[];
  /** Largest share of completed requests (0..1) that may have one of them. @default 0 (none) */
  readonly maxShare: number;
}

/** What {@link evaluateStatusCheck} found. */
export interface StatusCheckOutcome {
  readonly failed: boolean;
  /** Completed requests with a listed status. */
  readonly matched: number;
  readonly completed: number;
  /** The matching statuses with their counts, most first. */
  readonly counts: readonly (readonly [string, number])[];
  /** One line for stderr: why the run failed, or that it passed the check. */
  readonly line: string;
}

const statusPattern = /^(?:[1-5]\d\d|[1-5]xx|error)$/;

/**
 * Parses `--fail-on-status` (`429,5xx,error`) and `--fail-threshold` (a percentage, `1` or `1%`).
 * @throws RangeError naming the flag and the bad value
 */
export function parseStatusCheck(statuses: string, threshold: string | undefined): StatusCheck {
  const list = statuses
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const bad = list.find((s) => !statusPattern.test(s));
  if (list.length === 0 || bad !== undefined) {
    throw new RangeError(
      `--fail-on-status must list statuses like 429, 5xx or error, got "${bad ?? statuses}"`,
    );
  }
  let maxShare = 0;
  if (threshold !== undefined) {
    const value = Number(threshold.trim().replace(/%$/, ''));
    if (threshold.trim() === '' || !Number.isFinite(value) || value < 0 || value > 100) {
      throw new RangeError(`--fail-threshold must be a percentage in [0, 100], got "${threshold}"`);
    }
    maxShare = value / 100;
  }
  return { statuses: list, maxShare };
}

function matches(pattern: string, status: string): boolean {
  return pattern.endsWith('xx') ? status.length === 3 && status[0] === pattern[0] : status === pattern;
}

/** Checks a run's status counts against the rule; the run fails when the share is above it. */
export function evaluateStatusCheck(
  check: StatusCheck,
  result: Pick<LoadResult, 'statuses' | 'completed'>,
): StatusCheckOutcome {
  const counts = Object.entries(result.statuses)
    .filter(([status]) => check.statuses.some((pattern) => matches(pattern, status)))
    .sort(([, a], [, b]) => b - a);
  const matched = counts.reduce((sum, [, n]) => sum + n, 0);
  const share = result.completed > 0 ? matched / result.completed : 0;
  const failed = matched > 0 && share > check.maxShare;
  const found = counts.length === 0 ? 'none' : counts.map(([status, n]) => `${status}:${n}`).join(' ');
  const rule = `--fail-on-status ${check.statuses.join(',')}, at most ${percent(check.maxShare)}`;
  return {
    failed,
    matched,
    completed: result.completed,
    counts,
    line: failed
      ? `load: FAILED ${rule}: ${matched} of ${result.completed} responses (${percent(share)}) had a listed status (${found})`
      : `load: passed ${rule}: ${matched} of ${result.completed} responses (${percent(share)}) had a listed status`,
  };
}
