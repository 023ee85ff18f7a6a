import { describe, expect, it } from 'vitest';
import { failedHypotheses, mutate, recorded } from './recorded.test-helper.ts';
import { rollingRestart } from './rolling-restart.ts';

const runs = recorded(rollingRestart);
const failed = (o: typeof runs.pass): string[] => failedHypotheses(rollingRestart, o);

describe('rolling-restart hypotheses on recorded observations', () => {
  it('hold for a recorded run with the restarts', () => {
    expect(failed(runs.pass)).toEqual([]);
  });

  it('fail for a recorded run without the restarts: nothing was restarted', () => {
    expect(failed(runs.noFault)).toEqual(['graceful-exits']);
    expect(failed(runs.noFault)).toEqual(runs.noFaultFailed);
  });

  it('one failed client request fails no-failed-request', () => {
    expect(failed(mutate(runs.pass, (o) => void (o.requests.failed = 1)))).toEqual(['no-failed-request']);
  });

  it('a replica killed after the grace period, or a restart that did not happen, fails graceful-exits', () => {
    const killed = mutate(runs.pass, (o) => {
      o.restarts[1] = { ...o.restarts[1]!, code: null, signal: 'SIGKILL' };
    });
    expect(failed(killed)).toEqual(['graceful-exits']);
    expect(failed(mutate(runs.pass, (o) => void o.restarts.pop()))).toEqual(['graceful-exits']);
  });
});
