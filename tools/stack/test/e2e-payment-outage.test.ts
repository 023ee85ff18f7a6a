import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  countStatuses,
  createUser,
  getOrder,
  ordersNotChargedOnce,
  waitForStatuses,
} from './support/flow-client.ts';
import { useFlowStack } from './support/flow-stack.ts';
import { startOrderStream } from './support/order-stream.ts';

// Nothing is lost through a payment outage: the payment process is SIGKILLed for 20 s while
// orders keep arriving; once it is back, every order answered 202 is paid, each charged once.
describe('payment process SIGKILLed for 20 s under a stream of orders', () => {
  // Enough attempts to outlast the outage: backoff 100 ms doubling up to 1 s per attempt.
  const flow = useFlowStack({ order: { WORKER__ATTEMPTS: '100' } });

  it('pays every accepted order exactly once after payment returns', { timeout: 120_000 }, async () => {
    const { stack } = flow;
    const userId = await createUser(stack);
    const stream = startOrderStream(() => stack.url('order'), userId, 10);
    // Kept real (here and below): windows of steady traffic against real processes are the scenario.
    await sleep(2_000);
    const payment = stack.process('payment');
    expect(await payment.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await sleep(20_000);
    // While payment was down, orders were still accepted (and the last one is not paid).
    const duringOutage = await stream.stop();
    const lastAccepted = duringOutage.accepted.at(-1) ?? '';
    expect((await getOrder(stack, lastAccepted)).status).toBe('pending');
    await payment.start();
    const after = startOrderStream(() => stack.url('order'), userId, 10);
    await sleep(2_000);
    const afterOutage = await after.stop();

    const accepted = [...duringOutage.accepted, ...afterOutage.accepted];
    expect(duringOutage.statuses).toEqual({ 202: duringOutage.accepted.length });
    expect(afterOutage.statuses).toEqual({ 202: afterOutage.accepted.length });
    expect(duringOutage.accepted.length).toBeGreaterThan(150);

    const statuses = await waitForStatuses(stack, accepted, ['paid'], 60_000);
    expect(countStatuses(statuses)).toEqual({ paid: accepted.length });
    expect(await ordersNotChargedOnce(stack, accepted)).toEqual({});
  });
});
