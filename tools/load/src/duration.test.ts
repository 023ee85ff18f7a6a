import { describe, expect, it } from 'vitest';
import { formatDurationMs, parseDurationMs } from './duration.ts';

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['2.5s', 2500],
    ['45', 45_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDurationMs(text, '--duration')).toBe(ms);
  });

  it('names the option and the bad value', () => {
    expect(() => parseDurationMs('10 minutes', '--duration')).toThrow(
      '--duration must be a duration like 500ms, 30s, 10m or 1h, got "10 minutes"',
    );
  });

  it('formats durations compactly', () => {
    expect([850, 12_500, 600_000, 3_720_000].map(formatDurationMs)).toEqual([
      '850ms',
      '12.5s',
      '10m',
      '1h2m',
    ]);
  });
});
