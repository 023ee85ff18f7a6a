import { targetEnvironment } from '@shipshape/scenarios';
import { describe, expect, it } from 'vitest';
import { ExperimentRequestError, ExperimentRunner } from './experiment-runner.ts';

describe('ExperimentRunner', () => {
  const target = targetEnvironment({
    urls: { user: ['http://127.0.0.1:1'], order: ['http://127.0.0.1:1'], payment: ['http://127.0.0.1:1'] },
  });

  it('lists every scenario and marks those that fault by signals as private-only', () => {
    const list = ExperimentRunner.list();
    expect(list.find((s) => s.name === 'payment-outage')).toMatchObject({ privateOnly: true });
    expect(list.find((s) => s.name === 'payment-latency')).toMatchObject({ privateOnly: false });
  });

  it('refuses an unknown scenario, and a private-only one against the target, before running anything', () => {
    const changes: unknown[] = [];
    const runner = new ExperimentRunner({ target, onChange: (runs) => changes.push(runs) });
    expect(() => runner.start('no-such-scenario', { short: true, where: 'private' })).toThrow(
      ExperimentRequestError,
    );
    expect(() => runner.start('redis-blip', { short: true, where: 'target' })).toThrow(/private system/);
    expect(runner.experiments).toEqual([]);
    expect(changes).toEqual([]);
  });
});
