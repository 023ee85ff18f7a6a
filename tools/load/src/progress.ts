import { formatCounts, formatMs } from './format.ts';
import type { ProgressSnapshot } from './run-load.ts';

/** Where progress goes: a writable stream (stderr), knowing whether it is a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** One progress line: elapsed, target and achieved rates, interval p50/p99, statuses, errors. */
export function formatProgressLine(progress: ProgressSnapshot): string {
  const seconds = progress.intervalMs / 1000 || 1;
  const parts = [
    `[${(progress.elapsedMs / 1000).toFixed(0).padStart(4)}s]`,
    `target ${progress.targetRate.toFixed(0)}/s`,
    `sent ${(progress.sent / seconds).toFixed(0)}/s`,
    `done ${(progress.completed / seconds).toFixed(0)}/s`,
    `in-flight ${progress.inFlight}`,
  ];
  if (progress.dropped > 0) parts.push(`DROPPED ${progress.dropped}`);
  parts.push(
    `| p50 ${formatMs(progress.latency.p50Ms)} p99 ${formatMs(progress.latency.p99Ms)}`,
    `| ${formatCounts(progress.statuses)}`,
  );
  if (progress.errors.size > 0) parts.push(`| errors ${formatCounts(progress.errors, 4)}`);
  return parts.join(' ');
}

/**
 * Writes progress once per interval. On a terminal the line is redrawn in place; elsewhere
 * (CI logs, `docker compose logs`) each interval is a new line.
 */
export function createProgressPrinter(stream: ProgressStream): {
  print(progress: ProgressSnapshot): void;
  end(): void;
} {
  let drawn = false;
  return {
    print(progress) {
      const line = formatProgressLine(progress);
      if (stream.isTTY === true) {
        stream.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else {
        stream.write(`${line}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
