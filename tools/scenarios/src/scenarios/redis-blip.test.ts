import { describe, expect, it } from 'vitest';
import { failedHypotheses, mutate, recorded } from './recorded.test-helper.ts';
import { redisBlip } from './redis-blip.ts';

const runs = recorded(redisBlip);
const failed = (o: typeof runs.pass): string[] => failedHypotheses(redisBlip, o);

describe('redis-blip hypotheses on recorded observations', () => {
  it('hold for a recorded run with the Redis restart', () => {
    expect(failed(runs.pass)).toEqual([]);
  });

  it('fail for a recorded run without the restart: no limiter degraded, readiness never dropped', () => {
    expect(failed(runs.noFault)).toEqual(['limiters-fail-mode', 'readiness-drops-and-recovers']);
    expect(failed(runs.noFault)).toEqual(runs.noFaultFailed);
  });

  it('a limiter still degraded at the end, or deciding nothing while down, fails limiters-fail-mode', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.limiters['order']!.degradedAtEnd = 1)))).toEqual([
      'limiters-fail-mode',
    ]);
    expect(failed(mutate(runs.pass, (o) => void (o.limiters['user']!.decisionsDuringOutage = 0)))).toEqual([
      'limiters-fail-mode',
    ]);
  });

  it('a replica that never becomes ready again fails readiness-drops-and-recovers', () => {
    expect(failed(mutate(runs.pass, (o) => void delete o.readiness['order-0']!.recoveredAfterMs))).toEqual([
      'readiness-drops-and-recovers',
    ]);
  });

  it('a restarted process, or failures 12 s after Redis is back, fail recovers-without-restart', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.sameProcess['user-0'] = false)))).toEqual([
      'recovers-without-restart',
    ]);
    expect(failed(mutate(runs.pass, (o) => void (o.recovery.lastFailureAfterRestartMs = 12_000)))).toEqual([
      'recovers-without-restart',
    ]);
  });

  it('a 500 or a reset during the outage fails outage-answers-are-problems', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.failuresNotProblem = 1)))).toEqual([
      'outage-answers-are-problems',
    ]);
  });
});
