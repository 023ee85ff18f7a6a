import { coerced, rejected, type CoerceResult } from './result.ts';

const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const whole = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const bare = /^\d+(?:\.\d+)?$/;

/**
 * A duration in whole milliseconds: `250ms`, `2s`, `1.5m`, `1h`, `1d`, `1m30s`, or a bare
 * number meaning milliseconds. Fractions round to the nearest millisecond.
 */
export function coerceDuration(text: string): CoerceResult {
  const trimmed = text.trim().toLowerCase();
  if (bare.test(trimmed)) return coerced(Math.round(Number(trimmed)));
  if (!whole.test(trimmed)) {
    return rejected('expected a duration such as 250ms, 2s, 1m, 1h or a number of milliseconds');
  }
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(part))
    total += Number(amount) * (unitMs[unit ?? 'ms'] ?? 1);
  return coerced(Math.round(total));
}
