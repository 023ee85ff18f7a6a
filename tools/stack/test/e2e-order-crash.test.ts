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

// Nothing is lost when the order process dies mid-flight: it is SIGKILLed while charges are
// running (the payment processor is slowed down so that jobs are in flight) and restarted; its
// stalled jobs are picked up again, and every order answered 202 is paid exactly once.
describe('order process SIGKILLed mid-flight and restarted', () => {
  const flow = useFlowStack({ order: { WORKER__ATTEMPTS: '100' } });

  it('pays every accepted order exactly once after the restart', { timeout: 120_000 }, async () => {
    const { stack } = flow;
    await stack.setChaos('payment', { latencyMs: 400 });
    const userId = await createUser(stack);
    const stream = startOrderStream(() => stack.url('order'), userId, 20);
    // Kept real (here and below): windows of traffic against real processes are the scenario.
    await sleep(4_000);

    // Charges are running or waiting: accepted orders that are not paid yet.
    const before = await stream.stop();
    const unsettled = (
      await Promise.all(before.accepted.map(async (id) => (await getOrder(stack, id)).status))
    ).filter((status) => status === 'pending');
    const order = stack.process('order');
    const resumed = startOrderStream(() => stack.url('order'), userId, 20);
    expect(await order.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(unsettled.length).toBeGreaterThan(5);

    await sleep(1_000);
    await order.start();
    await stack.clearChaos('payment');
    await sleep(2_000);
    const during = await resumed.stop();
    // Requests sent while the process was down were refused, not accepted.
    expect(Object.keys(during.statuses).filter((s) => s !== '202' && s !== 'error')).toEqual([]);

    const accepted = [...before.accepted, ...during.accepted];
    const statuses = await waitForStatuses(stack, accepted, ['paid'], 75_000);
    expect(countStatuses(statuses)).toEqual({ paid: accepted.length });
    expect(await ordersNotChargedOnce(stack, accepted)).toEqual({});
  });
});
