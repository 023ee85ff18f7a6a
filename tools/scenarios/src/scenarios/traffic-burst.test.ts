import { describe, expect, it } from 'vitest';
import { failedHypotheses, mutate, recorded } from './recorded.test-helper.ts';
import { trafficBurst } from './traffic-burst.ts';

const runs = recorded(trafficBurst);
const failed = (o: typeof runs.pass): string[] => failedHypotheses(trafficBurst, o);

describe('traffic-burst hypotheses on recorded observations', () => {
  it('hold for a recorded run with the burst', () => {
    expect(failed(runs.pass)).toEqual([]);
  });

  it('fail for a recorded run without the burst: no 429s, admitted = offered', () => {
    expect(failed(runs.noFault)).toEqual([
      'global-limit-held',
      'rejections-carry-retry-after',
      'every-replica-limits',
    ]);
    expect(failed(runs.noFault)).toEqual(runs.noFaultFailed);
  });

  it('holds the admitted rate to ±2 % of the limit', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.admittedRate = 50.9)))).toEqual([]);
    expect(failed(mutate(runs.pass, (o) => void (o.admittedRate = 51.5)))).toEqual(['global-limit-held']);
    expect(failed(mutate(runs.pass, (o) => void (o.admittedRate = 48.5)))).toEqual(['global-limit-held']);
  });

  it('per-replica limits (3× the global one) fail global-limit-held', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.admittedRate = 150)))).toEqual(['global-limit-held']);
  });

  it('a burst that never exceeded the limit, or a degraded limiter, cannot pass global-limit-held', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.offeredRate = 60)))).toEqual(['global-limit-held']);
    expect(failed(mutate(runs.pass, (o) => void (o.degradedSamples = 2)))).toEqual(['global-limit-held']);
  });

  it('a 429 without its headers fails rejections-carry-retry-after', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.probes.withHeaders -= 1)))).toEqual([
      'rejections-carry-retry-after',
    ]);
  });

  it('a replica that never rejects fails every-replica-limits', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.replicaDecisions['order-1']!.rejected = 0)))).toEqual([
      'every-replica-limits',
    ]);
  });

  it('a 5xx fails no-5xx', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.failures['502'] = 1)))).toEqual(['no-5xx']);
  });
});
