import { describe, expect, it } from 'vitest';
import { failedHypotheses, mutate, recorded } from './recorded.test-helper.ts';
import { slowReplica } from './slow-replica.ts';

const runs = recorded(slowReplica);
const failed = (o: typeof runs.pass): string[] => failedHypotheses(slowReplica, o);

describe('slow-replica hypotheses on recorded observations', () => {
  it('hold for a recorded run with the fault and hedging', () => {
    expect(failed(runs.pass)).toEqual([]);
  });

  it('fail for a recorded run without the fault: nothing for hedges to win', () => {
    expect(failed(runs.noFault)).toEqual(['hedges-win']);
    expect(failed(runs.noFault)).toEqual(runs.noFaultFailed);
  });

  it('fail for a recorded run without hedging: the p99 follows the slow replica', () => {
    expect(failed(runs.noDefence!)).toEqual(['p99-bounded', 'hedges-win']);
    expect(failed(runs.noDefence!)).toEqual(runs.noDefenceFailed);
  });

  it('hedges beyond the retry budget fail hedges-within-budget', () => {
    const o = mutate(runs.pass, (c) => void (c.hedgesSent = c.charges.count));
    expect(failed(o)).toEqual(['hedges-within-budget']);
  });

  it('a charge charged twice by a hedge fails paid-exactly-once', () => {
    expect(failed(mutate(runs.pass, (c) => void (c.audit.chargedTwice = 1)))).toEqual(['paid-exactly-once']);
  });
});
