const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a human duration (`500ms`, `30s`, `10m`, `1h`, `1m30s`; a bare number means seconds)
 * into milliseconds.
 * @param text the duration as typed on the command line
 * @param option the option name, for the error message
 */
export function parseDurationMs(text: string, option: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const consumed = parts.map((part) => part[0]).join('');
  if (parts.length === 0 || consumed !== trimmed) {
    throw new RangeError(`${option} must be a duration like 500ms, 30s, 10m or 1h, got "${text}"`);
  }
  let total = 0;
  for (const part of parts) {
    total += Number(part[1]) * (units[part[2] ?? 's'] ?? 1000);
  }
  return Math.round(total);
}

/** Formats milliseconds compactly for humans (`850ms`, `12.5s`, `10m`, `1h2m`). */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${hours > 0 ? `${hours}h` : ''}${minutes > 0 ? `${minutes}m` : ''}${seconds > 0 ? `${seconds}s` : ''}`;
}
