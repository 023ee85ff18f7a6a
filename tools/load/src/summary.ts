import { formatDurationMs } from './duration.ts';
import { formatCounts, formatMs } from './format.ts';
import type { LatencySummary } from './latency-histogram.ts';
import { formatRefusalNote, rateLimitRefusals } from './refusals.ts';
import type { LoadResult } from './run-load.ts';

const columns = ['count', 'p50', 'p90', 'p99', 'p99.9', 'max'] as const;

function latencyRow(label: string, s: LatencySummary): string[] {
  return [label, String(s.count), ...[s.p50Ms, s.p90Ms, s.p99Ms, s.p999Ms, s.maxMs].map(formatMs)];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  '),
    )
    .join('\n');
}

/** The human-readable final summary. */
export function formatSummary(result: LoadResult): string {
  const p = result.profile;
  const lines = [
    `Shipshape load — ${p.profile} ${p.rate} req/s for ${formatDurationMs(p.durationMs)}, seed ${result.seed}${result.interrupted ? ' (INTERRUPTED)' : ''}`,
    `targets: ${Object.entries(result.targets)
      .map(([service, urls]) => `${service}=${urls.join(',')}`)
      .join(' ')}`,
    `scheduled ${result.scheduled}  sent ${result.sent}  dropped ${result.dropped}  completed ${result.completed}  in ${formatDurationMs(result.elapsedMs)}`,
    `rate: target ${result.targetRate.toFixed(1)}/s  achieved ${result.achievedRate.toFixed(1)}/s  send lag p99 ${formatMs(result.sendLag.p99Ms)} max ${formatMs(result.sendLag.maxMs)}`,
    `statuses: ${formatCounts(result.statuses, 20)}`,
    `errors by code: ${formatCounts(result.errors, 20)}`,
    '',
    'latency from intended send time (coordinated-omission corrected):',
  ];
  const rows: string[][] = [['', ...columns]];
  for (const [kind, figures] of Object.entries(result.kinds)) rows.push(latencyRow(kind, figures.latency));
  rows.push(latencyRow('all', result.latency));
  lines.push(table(rows), '', 'service time from actual send (what a closed-loop tool reports):');
  const serviceRows: string[][] = [['', ...columns]];
  for (const [kind, figures] of Object.entries(result.kinds))
    serviceRows.push(latencyRow(kind, figures.serviceTime));
  serviceRows.push(latencyRow('all', result.serviceTime));
  lines.push(table(serviceRows));
  if (result.dropped > 0) {
    lines.push(
      '',
      `WARNING: ${result.dropped} due requests were dropped at --max-in-flight; the target rate was not met.`,
    );
  }
  const refusalNote = formatRefusalNote(rateLimitRefusals(result));
  if (refusalNote !== undefined) lines.push('', refusalNote);
  return lines.join('\n');
}
