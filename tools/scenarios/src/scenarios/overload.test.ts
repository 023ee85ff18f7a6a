import { describe, expect, it } from 'vitest';
import { overload } from './overload.ts';
import { failedHypotheses, mutate, recorded } from './recorded.test-helper.ts';

const runs = recorded(overload);
const failed = (o: typeof runs.pass): string[] => failedHypotheses(overload, o);

describe('overload hypotheses on recorded observations', () => {
  it('hold for a recorded run with the burst and the adaptive limit', () => {
    expect(failed(runs.pass)).toEqual([]);
  });

  it('fail for a recorded run without the burst: no overload, goodput is the offered load', () => {
    expect(failed(runs.noFault)).toEqual(['overloaded', 'goodput-held']);
    expect(failed(runs.noFault)).toEqual(runs.noFaultFailed);
  });

  it('fail for a recorded run with a fixed bulkhead only: every call waits in line at payment', () => {
    expect(failed(runs.noDefence!)).toEqual(['admitted-p99-bounded']);
    expect(failed(runs.noDefence!)).toEqual(runs.noDefenceFailed);
  });

  it('goodput below 90 % of capacity fails goodput-held', () => {
    expect(failed(mutate(runs.pass, (c) => void (c.goodputPerSec = 17.9)))).toEqual(['goodput-held']);
  });

  it('an order left pending fails zero-lost', () => {
    expect(failed(mutate(runs.pass, (c) => void (c.audit.unsettled = 1)))).toEqual(['zero-lost']);
  });
});
