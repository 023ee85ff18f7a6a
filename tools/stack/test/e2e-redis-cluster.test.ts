import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { servesSlot } from '@shipshape/test-harness';
import { useRedisCluster } from '@shipshape/test-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../src/index.ts';
import {
  countStatuses,
  createUser,
  ordersNotChargedOnce,
  paymentsOf,
  postOrder,
  waitForStatuses,
} from './support/flow-client.ts';
import { fastFlowEnv, fastOrderEnv, fastPaymentEnv } from './support/flow-env.ts';

// The whole platform on a local Redis Cluster (3 masters + 3 replicas, cluster-node-timeout
// 1 s): the contract flows, then a master SIGKILLed under a stream of orders.
describe('the platform on a Redis Cluster', () => {
  const cluster = useRedisCluster({ nodeTimeoutMs: 1_000 });
  let stack: Stack | undefined;
  const current = (): Stack => stack!;

  beforeAll(async () => {
    stack = await startStack({
      redisUrl: cluster().url,
      env: fastFlowEnv,
      serviceEnv: {
        // A short breaker open time: the user-service breaker opens on the 503s of the failover.
        order: { ...fastOrderEnv, WORKER__ATTEMPTS: '100', USER_CLIENT__BREAKER_OPEN_DURATION_MS: '1000' },
        payment: fastPaymentEnv,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('keeps an email unique under 12 concurrent creations', async () => {
    const email = `race-${randomUUID()}@example.test`;
    const statuses = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const response = await fetch(`${current().url('user')}/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: i % 2 === 0 ? email : email.toUpperCase(), name: `Racer ${i}` }),
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(11);
  });

  it('takes an order to paid, and lists users across partitions', async () => {
    const userId = await createUser(current());
    const answer = await postOrder(current().url('order'), userId);
    expect(answer.status).toBe(202);
    const statuses = await waitForStatuses(current(), [answer.order!.id], ['paid'], 30_000);
    expect(countStatuses(statuses)).toEqual({ paid: 1 });
    expect(await ordersNotChargedOnce(current(), [answer.order!.id])).toEqual({});
    const ids: string[] = [];
    for (let cursor: string | null | undefined; ;) {
      const page = (await (
        await fetch(`${current().url('user')}/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      ).json()) as { items: { id: string }[]; nextCursor: string | null };
      ids.push(...page.items.map((user) => user.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(ids).toContain(userId);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('charges once for 20 concurrent payments with one Idempotency-Key', async () => {
    const key = randomUUID();
    const orderId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const response = await fetch(`${current().url('payment')}/payments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ orderId, amountCents: 2500, currency: 'USD' }),
        });
        return { status: response.status, body: (await response.json()) as { id?: string } };
      }),
    );
    const ids = new Set(answers.filter((a) => a.status === 201 || a.status === 200).map((a) => a.body.id));
    expect(answers.map((a) => a.status).filter((status) => status >= 300)).toEqual([]);
    expect(ids.size).toBe(1);
    expect((await paymentsOf(current(), orderId)).map((p) => p.id)).toEqual([...ids]);
  });

  it(
    'pays every accepted order exactly once when a master is SIGKILLed mid-stream',
    { timeout: 120_000 },
    async () => failoverUnderLoad('kill', await masterPort({ holdsQueue: false })),
  );

  // A master that vanishes from the network (a killed container or pod) sends no reset: the
  // commands already sent to it get no answer. SIGSTOP makes a local node behave so.
  it(
    'pays every accepted order exactly once when a master stops answering mid-stream (no reset)',
    { timeout: 150_000 },
    async () => failoverUnderLoad('pause', await masterPort({ holdsQueue: true })),
  );

  /**
   * The port of a master with a live replica that holds (or does not hold) the payment queue's
   * slot (BullMQ's prefix `order:{bull}`): the kill test takes another master, the pause test
   * the queue's, so one run covers both the order path and the worker's connections.
   */
  async function masterPort({ holdsQueue }: { holdsQueue: boolean }): Promise<number> {
    const anyPort = cluster().nodes.find((node) => node.pid !== undefined)!.port;
    const slot = Number(await cluster().command(anyPort, 'CLUSTER', 'KEYSLOT', 'order:{bull}:payments:wait'));
    const topology = await cluster().topology();
    const chosen = topology.find(
      (node) =>
        node.role === 'master' &&
        !node.failed &&
        servesSlot(node, slot) === holdsQueue &&
        topology.some((replica) => replica.masterId === node.id && !replica.failed),
    );
    if (!chosen)
      throw new Error(`no master with a live replica that ${holdsQueue ? 'holds' : 'lacks'} slot ${slot}`);
    return chosen.port;
  }

  async function failoverUnderLoad(how: 'kill' | 'pause', port: number): Promise<void> {
    const userId = await createUser(current());
    const answers: { sentAt: number; answeredAt: number; status: number | 'error'; id?: string }[] = [];
    const inFlight = new Set<Promise<void>>();
    const started = performance.now();
    const timer = setInterval(() => {
      const sentAt = performance.now() - started;
      const request = postOrder(current().url('order'), userId).then((answer) => {
        answers.push({
          sentAt,
          answeredAt: performance.now() - started,
          status: answer.status,
          ...(answer.order ? { id: answer.order.id } : {}),
        });
        inFlight.delete(request);
      });
      inFlight.add(request);
    }, 50);
    const readiness: { at: number; status: number }[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const status = await fetch(`${current().url('order')}/ready`, {
          signal: AbortSignal.timeout(2_000),
        })
          .then(async (response) => (await response.arrayBuffer(), response.status))
          .catch(() => 0);
        readiness.push({ at: performance.now() - started, status });
        await sleep(100);
      }
    })();

    await sleep(2_000);
    const killedAt = performance.now() - started;
    const { failoverMs, killed } = await cluster().killMaster({ how, port });
    const healedAt = performance.now() - started;
    // Without a reset the error window is longer (a command timeout and a slot map refresh more),
    // so the stream runs on longer for "most orders accepted" to mean the same.
    await sleep(how === 'pause' ? 10_000 : 5_000);
    clearInterval(timer);
    await Promise.all([...inFlight]);
    watching = false;
    await watcher;

    const accepted = answers.flatMap((answer) => (answer.id ? [answer.id] : []));
    const failed = answers.filter((answer) => answer.status !== 202);
    const errorWindowMs =
      failed.length === 0
        ? 0
        : Math.max(...failed.map((a) => a.answeredAt)) - Math.min(...failed.map((a) => a.sentAt));
    console.info(
      `[redis-cluster failover, ${how}] ${how === 'kill' ? 'killed' : 'paused'} a master at ${Math.round(killedAt)} ms; promotion took ${failoverMs} ms; ` +
        `${answers.length} orders sent, ${accepted.length} accepted, ${failed.length} not ` +
        `(${JSON.stringify(countBy(failed.map((a) => String(a.status))))}); error window ${Math.round(errorWindowMs)} ms; ` +
        `readiness not 200 for ${readiness.filter((r) => r.status !== 200).length} of ${readiness.length} probes`,
    );
    // Redis unavailable is a 503 (retryable), never a 500.
    expect(failed.filter((answer) => answer.status !== 503 && answer.status !== 'error')).toEqual([]);
    // Bounded error window: the failover, then at most the breaker's open time and the retries;
    // without a reset, also a Redis command timeout (5 s) and a slot map refresh (1 s).
    expect(errorWindowMs).toBeLessThan(failoverMs + 3_000 + (how === 'pause' ? 6_000 : 0));
    expect(
      failed.every(
        (answer) =>
          answer.sentAt >= killedAt - 500 &&
          answer.sentAt <= healedAt + 3_000 + (how === 'pause' ? 1_000 : 0),
      ),
    ).toBe(true);
    expect(accepted.length).toBeGreaterThan(answers.length / 2);
    // Readiness saw the outage (a master down) and is 200 again once the cluster healed.
    expect(readiness.some((probe) => probe.at > killedAt && probe.status !== 200)).toBe(true);
    expect(readiness.at(-1)?.status).toBe(200);

    const statuses = await waitForStatuses(current(), accepted, ['paid'], 60_000);
    expect(countStatuses(statuses)).toEqual({ paid: accepted.length });
    expect(await ordersNotChargedOnce(current(), accepted)).toEqual({});
    // A paused master, thawed, finds its replica promoted and rejoins as a replica of it.
    if (how === 'pause') cluster().resume(killed);
  }
});

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
