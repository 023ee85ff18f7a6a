import { describe, expect, it } from 'vitest';
import { ArrivalSchedule } from './arrival-schedule.ts';
import { constant, ramp } from './segment.ts';

describe('ArrivalSchedule', () => {
  it('spaces a constant rate evenly: t_i = i / rate', () => {
    const schedule = new ArrivalSchedule([constant(500, 4000)]);
    expect(schedule.totalRequests).toBe(2000);
    expect(schedule.intendedOffsetMs(0)).toBe(0);
    expect(schedule.intendedOffsetMs(1)).toBeCloseTo(2, 9);
    expect(schedule.intendedOffsetMs(1999)).toBeCloseTo(3998, 6);
  });

  it('inverts the integral of a linear ramp', () => {
    // 0 → 100 req/s over 10 s holds 500 arrivals; N(t) = 5 t², so request n is due at √(n / 5) s.
    const schedule = new ArrivalSchedule([ramp(0, 100, 10_000)]);
    expect(schedule.totalRequests).toBe(500);
    expect(schedule.intendedOffsetMs(5)).toBeCloseTo(1000, 6);
    expect(schedule.intendedOffsetMs(125)).toBeCloseTo(5000, 6);
    expect(schedule.intendedOffsetMs(499)).toBeCloseTo(Math.sqrt(499 / 5) * 1000, 6);
  });

  it('handles a ramp down as well as a ramp up', () => {
    // 100 → 0 over 10 s: N(t) = 100 t − 5 t², so half of the 500 arrivals are due by t = 2.93 s.
    const schedule = new ArrivalSchedule([ramp(100, 0, 10_000)]);
    expect(schedule.totalRequests).toBe(500);
    expect(schedule.intendedOffsetMs(250)).toBeCloseTo((10 - Math.sqrt(50)) * 1000, 6);
  });

  it('continues across segments at the cumulative count', () => {
    const schedule = new ArrivalSchedule([constant(10, 1000), constant(100, 1000)]);
    expect(schedule.totalRequests).toBe(110);
    expect(schedule.intendedOffsetMs(9)).toBeCloseTo(900, 9);
    expect(schedule.intendedOffsetMs(10)).toBeCloseTo(1000, 9);
    expect(schedule.intendedOffsetMs(11)).toBeCloseTo(1010, 9);
  });

  it('keeps send times increasing through every segment', () => {
    const schedule = new ArrivalSchedule([ramp(0, 50, 2000), constant(50, 1000), ramp(50, 5, 3000)]);
    let previous = -1;
    for (let i = 0; i < schedule.totalRequests; i += 1) {
      const t = schedule.intendedOffsetMs(i);
      expect(t).toBeGreaterThan(previous);
      expect(t).toBeLessThan(schedule.durationMs);
      previous = t;
    }
  });

  it('reports the target rate at an offset', () => {
    const schedule = new ArrivalSchedule([ramp(0, 100, 1000), constant(40, 1000)]);
    expect(schedule.rateAt(500)).toBe(50);
    expect(schedule.rateAt(1500)).toBe(40);
    expect(schedule.rateAt(2500)).toBe(0);
  });

  it('rejects a segment without length', () => {
    expect(() => new ArrivalSchedule([constant(10, 0)])).toThrow('segment 0 durationMs must be > 0, got 0');
  });

  it('rejects an index outside the schedule', () => {
    expect(() => new ArrivalSchedule([constant(10, 1000)]).intendedOffsetMs(10)).toThrow(RangeError);
  });
});
