import { useRedisServer } from '@shipshape/test-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInvalidOverridesError, startStack, type Stack } from '../src/index.ts';

// The stack API with the user and payment services (the order service has its own e2e files).
describe('startStack with user and payment', () => {
  const redis = useRedisServer();
  let stack: Stack;
  const admin = (): Record<string, string> => ({ authorization: `Bearer ${stack.adminToken}` });

  beforeAll(async () => {
    stack = await startStack({ redisUrl: redis.url, replicas: { order: 0, payment: 2 } });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('starts every replica on its own port, ready', async () => {
    expect(stack.processes.map((p) => p.name)).toEqual(['user-0', 'payment-0', 'payment-1']);
    expect(new Set(stack.processes.map((p) => p.port)).size).toBe(3);
    for (const url of [stack.url('user'), ...stack.urls('payment')])
      expect((await fetch(`${url}/ready`)).status).toBe(200);
    expect(stack.processes.every((p) => p.running && p.pid !== undefined)).toBe(true);
  });

  it('captures the output of each process', () => {
    expect(stack.process('payment', 1).logs().join('\n')).toContain('payment service listening on port');
  });

  it('restarts a SIGKILLed process on the same port', { timeout: 60_000 }, async () => {
    const payment = stack.process('payment');
    const before = payment.pid;
    expect(await payment.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(payment.running).toBe(false);
    await expect(fetch(`${payment.url}/health`)).rejects.toThrow();
    await payment.start();
    expect(payment.pid).not.toBe(before);
    expect((await fetch(`${payment.url}/ready`)).status).toBe(200);
  });

  it('stops a process gracefully with exit code 0', { timeout: 60_000 }, async () => {
    const user = stack.process('user');
    expect(await user.stop()).toEqual({ code: 0, signal: null });
    await user.start();
  });

  it('sets chaos on every replica and clears it', { timeout: 30_000 }, async () => {
    const set = await stack.setChaos('payment', { errorRate: 1, 'chaos.latency-ms': '0' });
    expect(set.map((s) => [s.path, s.value])).toEqual([
      ['chaos.errorRate', 1],
      ['chaos.latencyMs', 0],
    ]);
    for (const [replica, url] of stack.urls('payment').entries()) {
      const response = await fetch(`${url}/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `chaos-${replica}` },
        body: JSON.stringify({ orderId: 'o-1', amountCents: 100, currency: 'EUR' }),
      });
      expect(((await response.json()) as { code: string }).code).toBe('processor_unavailable');
    }
    await stack.clearChaos('payment');
    const config = (await (
      await fetch(`${stack.url('payment', 1)}/config`, { headers: admin() })
    ).json()) as Record<string, { value: unknown; source: string }>;
    expect(config['chaos.errorRate']).toEqual({ value: 0, source: 'default' });
  });

  it('refuses invalid settings and writes nothing', async () => {
    const error: unknown = await stack
      .setChaos('payment', { errorRate: 2, nonsense: 1, port: 1234 })
      .catch((e: unknown) => e);
    expect(isInvalidOverridesError(error)).toBe(true);
    expect(isInvalidOverridesError(error) && error.problems.map((p) => p.key).sort()).toEqual([
      'errorRate',
      'nonsense',
      'port',
    ]);
    const config = (await (
      await fetch(`${stack.url('payment')}/config`, { headers: admin() })
    ).json()) as Record<string, { source: string }>;
    expect(config['chaos.errorRate']?.source).toBe('default');
  });
});
