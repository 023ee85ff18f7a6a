import { describe, expect, it } from 'vitest';
import { Endpoint } from './endpoint.ts';
import { OutlierDetector, resolveOutlierOptions } from './outlier-detector.ts';

function fleet(n: number): Endpoint[] {
  const pool = () => ({ close: () => Promise.resolve() }) as never;
  return Array.from(
    { length: n },
    (_, i) =>
      new Endpoint(
        { protocol: 'http:', address: '127.0.0.1', port: 1000 + i, hostHeader: undefined, weight: 1 },
        pool,
        undefined,
      ),
  );
}

function setup(
  n: number,
  options = {},
): { clock: { ms: number }; detector: OutlierDetector; all: Endpoint[] } {
  const clock = { ms: 0 };
  const detector = new OutlierDetector(
    resolveOutlierOptions({ consecutiveFailures: 3, baseEjectionMs: 1000, maxEjectionMs: 2500, ...options }),
    () => clock.ms,
  );
  return { clock, detector, all: fleet(n) };
}

function fail(
  detector: OutlierDetector,
  e: Endpoint,
  all: Endpoint[],
  times: number,
): Array<'ejected' | undefined> {
  return Array.from({ length: times }, () => detector.record(e, false, all));
}

describe('outlier detector', () => {
  it('ejects after the configured consecutive failures', () => {
    const { detector, all } = setup(4);
    expect(fail(detector, all[0]!, all, 3)).toEqual([undefined, undefined, 'ejected']);
    expect(detector.isEjected(all[0]!)).toBe(true);
  });

  it('a success resets the consecutive count', () => {
    const { detector, all } = setup(4);
    fail(detector, all[0]!, all, 2);
    detector.record(all[0]!, true, all);
    expect(fail(detector, all[0]!, all, 2)).toEqual([undefined, undefined]);
  });

  it('ejects longer each time, up to the maximum', () => {
    const { clock, detector, all } = setup(4);
    const e = all[0]!;
    const durations: number[] = [];
    for (let i = 0; i < 3; i++) {
      fail(detector, e, all, 3);
      const start = clock.ms;
      while (detector.isEjected(e)) clock.ms += 100;
      durations.push(clock.ms - start);
    }
    expect(durations).toEqual([1000, 2000, 2500]);
  });

  it('never ejects beyond the max-ejected share', () => {
    const { detector, all } = setup(4, { maxEjectedPercent: 50 });
    for (const e of all) fail(detector, e, all, 3);
    expect(all.filter((e) => detector.isEjected(e))).toHaveLength(2);
  });

  it('does not eject a lone endpoint', () => {
    const { detector, all } = setup(1);
    expect(fail(detector, all[0]!, all, 10)).not.toContain('ejected');
  });

  it('validates its options', () => {
    expect(() => resolveOutlierOptions({ maxEjectedPercent: 120 })).toThrow(
      'outlierDetection.maxEjectedPercent must be in [0, 100], got 120',
    );
  });
});
