import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConstantBackoff } from '../../src/policies/index.ts';
import { useFixtures } from './fixtures.ts';

const { server, client } = useFixtures();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('service client listener errors', () => {
  it('a throwing onAttempt and onRetry listener neither fails the request nor stays silent: each error becomes a ShipshapeListenerError warning', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const [bad, good] = [await server(), await server()];
    bad.fault({ kind: 'status', status: 503 });
    const c = client({
      service: 'svc',
      endpoints: [bad.url, good.url],
      loadBalancer: 'round_robin',
      backoff: new ConstantBackoff(0),
    });
    const attemptsSeenAfterTheBug: number[] = [];
    c.onAttempt(() => {
      throw new Error('attempt listener bug');
    });
    c.onAttempt(() => attemptsSeenAfterTheBug.push(1));
    c.policies().retry.onRetry(() => {
      throw new Error('retry listener bug');
    });

    const res = await c.request({ path: '/' });

    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(attemptsSeenAfterTheBug).toHaveLength(2);
    const messages = warn.mock.calls.map((call) => (call[0] as Error).message);
    expect(messages.filter((m) => m === 'attempt listener bug')).toHaveLength(2);
    expect(messages.filter((m) => m === 'retry listener bug')).toHaveLength(1);
    expect(warn.mock.calls[0]![1]).toMatchObject({ type: 'ShipshapeListenerError', code: 'listener_error' });
  });
});
