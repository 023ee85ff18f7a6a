import { describe, expect, it } from 'vitest';
import { runDlq } from './support/dlq-cli.ts';
import {
  countStatuses,
  createUser,
  ordersNotChargedOnce,
  paymentsOf,
  postOrder,
  waitForStatuses,
} from './support/flow-client.ts';
import { fastPaymentEnv } from './support/flow-env.ts';
import { useFlowStack } from './support/flow-stack.ts';

const attempts = 3;

// Exhausted retries end in the dead-letter queue, and a replay pays them: the payment processor
// fails every charge (chaos.errorRate=1) until each order's attempts are spent, then the fault is
// removed and `npm run dlq -- replay --all` re-drives them.
describe('payment chaos.errorRate=1 until attempts are exhausted, then replay', () => {
  const flow = useFlowStack({ order: { WORKER__ATTEMPTS: String(attempts) }, payment: fastPaymentEnv });

  it(
    'parks the orders as payment_failed and a replay pays each exactly once',
    { timeout: 120_000 },
    async () => {
      const { stack } = flow;
      await stack.setChaos('payment', { errorRate: 1 });
      const userId = await createUser(stack);
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => postOrder(stack.url('order'), userId)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(6).fill(202));
      const ids = answers.map((a) => a.order?.id ?? '');

      const failed = await waitForStatuses(stack, ids, ['payment_failed'], 45_000);
      expect(countStatuses(failed)).toEqual({ payment_failed: ids.length });
      const listed = await runDlq(stack.redisUrl, ['list', '--json']);
      expect(listed.code).toBe(0);
      const letters = JSON.parse(listed.stdout) as { orderId: string; attempts: number }[];
      expect(letters.map((l) => l.orderId).sort()).toEqual([...ids].sort());
      expect(letters.every((l) => l.attempts === attempts)).toBe(true);
      // The processor refused every charge: nothing was stored.
      for (const id of ids) expect(await paymentsOf(stack, id)).toEqual([]);

      await stack.clearChaos('payment');
      const replay = await runDlq(stack.redisUrl, ['replay', '--all']);
      expect({ code: replay.code, stderr: replay.stderr }).toEqual({ code: 0, stderr: '' });

      const paid = await waitForStatuses(stack, ids, ['paid'], 45_000);
      expect(countStatuses(paid)).toEqual({ paid: ids.length });
      expect(await ordersNotChargedOnce(stack, ids)).toEqual({});
      expect(JSON.parse((await runDlq(stack.redisUrl, ['list', '--json'])).stdout)).toEqual([]);
    },
  );
});
