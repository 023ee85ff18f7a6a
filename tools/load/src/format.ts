/** Formats milliseconds with a precision that suits their size (`0.42ms`, `12.3ms`, `1.25s`). */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms >= 100) return `${ms.toFixed(0)}ms`;
  if (ms >= 10) return `${ms.toFixed(1)}ms`;
  return `${ms.toFixed(2)}ms`;
}

/** `key:count` pairs joined by spaces, most frequent first, or `-` when empty. */
export function formatCounts(
  counts: ReadonlyMap<string, number> | Record<string, number>,
  limit = 6,
): string {
  const entries = counts instanceof Map ? [...counts] : Object.entries(counts);
  if (entries.length === 0) return '-';
  return entries
    .sort(([, a], [, b]) => b - a)
    .slice(0, limit)
    .map(([key, count]) => `${key}:${count}`)
    .join(' ');
}
