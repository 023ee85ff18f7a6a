import { describe, expect, it } from 'vitest';
import { paymentOutage } from './payment-outage.ts';
import { failedHypotheses, mutate, recorded } from './recorded.test-helper.ts';

const runs = recorded(paymentOutage);
const failed = (o: typeof runs.pass): string[] => failedHypotheses(paymentOutage, o);

describe('payment-outage hypotheses on recorded observations', () => {
  it('hold for a recorded run with the fault', () => {
    expect(failed(runs.pass)).toEqual([]);
  });

  it('fail for a recorded run without the fault: the breaker never opened', () => {
    expect(failed(runs.noFault)).toEqual(['breaker-opens']);
    expect(failed(runs.noFault)).toEqual(runs.noFaultFailed);
  });

  it('a breaker that opens after 6 s fails breaker-opens', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.breakerOpenedAfterMs = 6_000)))).toEqual([
      'breaker-opens',
    ]);
  });

  it('orders refused during the outage fail orders-accepted', () => {
    const o = mutate(runs.pass, (c) => {
      c.ordersDuringOutage.accepted = Math.floor(c.ordersDuringOutage.sent * 0.95);
    });
    expect(failed(o)).toEqual(['orders-accepted']);
  });

  it('retries over the budget, or a dead letter, fail retries-within-budget', () => {
    const overBudget = mutate(runs.pass, (c) => void (c.retries.retries = (c.retries.budget ?? 0) + 1));
    expect(failed(overBudget)).toEqual(['retries-within-budget']);
    const deadLetter = mutate(runs.pass, (c) => void (c.deadLettersMax = 1));
    expect(failed(deadLetter)).toEqual(['retries-within-budget']);
  });

  it('an order charged twice fails paid-exactly-once; a stuck order fails both end-state hypotheses', () => {
    expect(failed(mutate(runs.pass, (c) => void (c.audit.chargedTwice = 1)))).toEqual(['paid-exactly-once']);
    const stuck = mutate(runs.pass, (c) => {
      c.audit.unsettled = 1;
      c.audit.statuses['paid']! -= 1;
      c.audit.statuses['pending'] = 1;
    });
    expect(failed(stuck)).toEqual(['paid-exactly-once', 'zero-lost']);
  });
});
