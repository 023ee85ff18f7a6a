import { describe, expect, it } from 'vitest';
import { paymentLatency } from './payment-latency.ts';
import { failedHypotheses, mutate, recorded } from './recorded.test-helper.ts';

const runs = recorded(paymentLatency);
const failed = (o: typeof runs.pass): string[] => failedHypotheses(paymentLatency, o);

describe('payment-latency hypotheses on recorded observations', () => {
  it('hold for a recorded run with the fault', () => {
    expect(failed(runs.pass)).toEqual([]);
  });

  it('fail for a recorded run without the fault: no timeouts, concurrency never reached the cap', () => {
    expect(failed(runs.noFault)).toEqual(['per-try-timeouts', 'concurrency-capped']);
    expect(failed(runs.noFault)).toEqual(runs.noFaultFailed);
  });

  it('a per-try timeout longer than the latency fails per-try-timeouts', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.perTryTimeoutMs = 2_500)))).toEqual(['per-try-timeouts']);
  });

  it('more calls in flight than the cap fail concurrency-capped', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.maxInFlight = o.concurrencyCap + 1)))).toEqual([
      'concurrency-capped',
    ]);
  });

  it('a read p99 over the SLO, or no reads at all, fails read-p99-slo', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.reads.p99Ms = 501)))).toEqual(['read-p99-slo']);
    expect(failed(mutate(runs.pass, (o) => void (o.reads = { count: 0, p99Ms: 12 })))).toEqual([
      'read-p99-slo',
    ]);
  });
});
