import { describe, expect, it } from 'vitest';
import { poisonOrder } from './poison-order.ts';
import { failedHypotheses, mutate, recorded } from './recorded.test-helper.ts';

const runs = recorded(poisonOrder);
const failed = (o: typeof runs.pass): string[] => failedHypotheses(poisonOrder, o);

describe('poison-order hypotheses on recorded observations', () => {
  it('hold for a recorded run with the poison', () => {
    expect(failed(runs.pass)).toEqual([]);
  });

  it('fail for a recorded run without the poison: no dead letters to check or replay', () => {
    expect(failed(runs.noFault)).toEqual([
      'dead-letter-after-n-attempts',
      'parked-orders-failed-uncharged',
      'replay-empties-dlq',
    ]);
    expect(failed(runs.noFault)).toEqual(runs.noFaultFailed);
  });

  it('a dead letter after fewer attempts fails dead-letter-after-n-attempts', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.deadLetters.attempts['2'] = 1)))).toEqual([
      'dead-letter-after-n-attempts',
    ]);
  });

  it('a dead-lettered order that was charged fails parked-orders-failed-uncharged', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.parked.captured = 1)))).toEqual([
      'parked-orders-failed-uncharged',
    ]);
  });

  it('a dead letter left after the replay fails replay-empties-dlq', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.remainingAfterReplay = 1)))).toEqual([
      'replay-empties-dlq',
    ]);
  });
});
