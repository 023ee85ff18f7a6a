import { describe, expect, it } from 'vitest';
import { redisFailover } from './redis-failover.ts';
import { failedHypotheses, mutate, recorded } from './recorded.test-helper.ts';

const runs = recorded(redisFailover);
const failed = (o: typeof runs.pass): string[] => failedHypotheses(redisFailover, o);

describe('redis-failover hypotheses on recorded observations', () => {
  it('hold for a recorded run with the fault', () => {
    expect(failed(runs.pass)).toEqual([]);
  });

  it('fail for a recorded run without the fault: no failover, the limiter never degraded', () => {
    expect(failed(runs.noFault)).toEqual(['failover-happened', 'limiter-fail-mode']);
    expect(failed(runs.noFault)).toEqual(runs.noFaultFailed);
  });

  it('a failure long after the promotion, or a 500, fails bounded-error-window', () => {
    const late = mutate(runs.pass, (o) => void (o.failures.lastSentMs = o.failover.healedMs + 7_000));
    expect(failed(late)).toEqual(['bounded-error-window']);
    const internal = mutate(runs.pass, (o) => void (o.failures.notProblem = 1));
    expect(failed(internal)).toEqual(['bounded-error-window']);
  });

  it('a limiter still degraded at the end fails limiter-fail-mode', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.limiter.degradedAtEnd = 1)))).toEqual([
      'limiter-fail-mode',
    ]);
  });

  it('an order charged twice fails paid-exactly-once; a lost order fails zero-lost', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.audit.chargedTwice = 1)))).toEqual(['paid-exactly-once']);
    const stuck = mutate(runs.pass, (o) => {
      o.audit.unsettled = 1;
      o.audit.statuses['paid']! -= 1;
      o.audit.statuses['pending'] = 1;
    });
    expect(failed(stuck)).toEqual(['paid-exactly-once', 'zero-lost']);
  });
});
