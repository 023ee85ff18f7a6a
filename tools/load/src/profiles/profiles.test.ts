import { describe, expect, it } from 'vitest';
import { buildProfile } from './profiles.ts';

const shape = (options: Parameters<typeof buildProfile>[0]) =>
  buildProfile(options).schedule.segments.map((s) => [s.durationMs, s.fromRate, s.toRate]);

describe('buildProfile', () => {
  it('steady holds one rate for the whole duration', () => {
    expect(shape({ profile: 'steady', rate: 50, durationMs: 10_000 })).toEqual([[10_000, 50, 50]]);
  });

  it('steady with a ramp-up climbs from 0 first', () => {
    expect(shape({ rate: 50, durationMs: 10_000, rampUpMs: 2000 })).toEqual([
      [2000, 0, 50],
      [8000, 50, 50],
    ]);
  });

  it('step adds stepRate every stepInterval', () => {
    expect(shape({ profile: 'step', rate: 10, stepRate: 5, stepIntervalMs: 1000, durationMs: 2500 })).toEqual(
      [
        [1000, 10, 10],
        [1000, 15, 15],
        [500, 20, 20],
      ],
    );
  });

  it('spike multiplies the rate for spikeLength after spikeAfter', () => {
    expect(
      shape({
        profile: 'spike',
        rate: 10,
        spikeMultiplier: 5,
        spikeAfterMs: 1000,
        spikeLengthMs: 500,
        durationMs: 3000,
      }),
    ).toEqual([
      [1000, 10, 10],
      [500, 50, 50],
      [1500, 10, 10],
    ]);
  });

  it('soak defaults to one hour with a one-minute ramp-up', () => {
    expect(shape({ profile: 'soak', rate: 10 })).toEqual([
      [60_000, 0, 10],
      [3_540_000, 10, 10],
    ]);
  });

  it('refuses a duration beyond 24 hours', () => {
    expect(() => buildProfile({ durationMs: 25 * 3_600_000 })).toThrow(
      'durationMs must be in (0, 86400000], got 90000000',
    );
  });

  it('refuses a zero rate', () => {
    expect(() => buildProfile({ rate: 0 })).toThrow('rate must be in (0, 100000] requests/s, got 0');
  });
});
