import type { LoadResult } from '@shipshape/load';
import type { HypothesisResult } from './hypothesis.ts';
import type { RunMode } from './run-mode.ts';
import type { TimelineEvent } from './timeline.ts';

/** The load's figures a verdict keeps (the full `LoadResult` is in `--json` output too). */
export interface LoadFigures {
  readonly sent: number;
  readonly dropped: number;
  readonly targetRate: number;
  readonly achievedRate: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly errors: Readonly<Record<string, number>>;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** The result of one scenario run. */
export interface Verdict<Obs = unknown> {
  readonly scenario: string;
  readonly title: string;
  readonly mode: RunMode;
  /** `local` (started here) or `target`. */
  readonly environment: 'local' | 'target';
  readonly seed: number;
  readonly startedAt: string;
  /** Wall time of the whole run (start-up, load, settling, checks), ms. */
  readonly durationMs: number;
  /** True when every hypothesis held. */
  readonly passed: boolean;
  readonly hypotheses: readonly HypothesisResult[];
  readonly timeline: readonly TimelineEvent[];
  readonly load: LoadFigures;
  /** The scenario's figures, the input of its hypotheses; undefined when the run was stopped early. */
  readonly observations: Obs | undefined;
}

/** The figures of a `LoadResult` a verdict keeps. */
export function loadFigures(result: LoadResult): LoadFigures {
  return {
    sent: result.sent,
    dropped: result.dropped,
    targetRate: round1(result.targetRate),
    achievedRate: round1(result.achievedRate),
    statuses: result.statuses,
    errors: result.errors,
    p50Ms: round1(result.latency.p50Ms),
    p99Ms: round1(result.latency.p99Ms),
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function formatCounts(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts).sort(([, a], [, b]) => b - a);
  return entries.length === 0 ? '-' : entries.map(([k, v]) => `${k}:${v}`).join(' ');
}

/**
 * The human report: a header, the timeline, the load in one line, then one `PASS`/`FAIL` line
 * per hypothesis with the observed figure and its threshold, and the overall verdict.
 */
export function formatVerdict(verdict: Verdict): string {
  const form = `${verdict.mode.short ? 'short' : 'full'}${verdict.mode.fault ? '' : ', fault switched off'}${verdict.mode.defence === false ? ', defence switched off' : ''}`;
  const lines = [`scenario ${verdict.scenario} (${form}): ${verdict.title}`];
  for (const event of verdict.timeline) {
    const at = `${(event.startedMs / 1000).toFixed(1)}s`.padStart(7);
    const outcome = event.skipped
      ? 'skipped (--no-fault)'
      : event.error !== undefined
        ? `FAILED: ${event.error}`
        : `done in ${((event.endedMs - event.startedMs) / 1000).toFixed(1)}s`;
    lines.push(`  ${at}  ${event.name} — ${outcome}`);
  }
  const l = verdict.load;
  lines.push(
    `  load: sent ${l.sent} (target ${l.targetRate}/s, achieved ${l.achievedRate}/s, dropped ${l.dropped})` +
      ` p50 ${l.p50Ms}ms p99 ${l.p99Ms}ms | ${formatCounts(l.statuses)} | errors ${formatCounts(l.errors)}`,
  );
  const width = Math.max(...verdict.hypotheses.map((h) => h.id.length), 0);
  for (const h of verdict.hypotheses) {
    lines.push(
      `${h.pass ? 'PASS' : 'FAIL'}  ${h.id.padEnd(width)}  ${h.statement}: ${h.observed} (expected ${h.expected})`,
    );
  }
  const failed = verdict.hypotheses.filter((h) => !h.pass).length;
  lines.push(
    `verdict: ${verdict.passed ? 'PASS' : 'FAIL'} — ${verdict.hypotheses.length - failed}/${verdict.hypotheses.length} hypotheses held` +
      ` in ${(verdict.durationMs / 1000).toFixed(1)}s`,
  );
  return lines.join('\n');
}
