import { Cluster } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseClusterNodes, servesSlot } from '../src/index.ts';
import { useRedisCluster } from '../src/vitest.ts';

describe('startRedisCluster', () => {
  const cluster = useRedisCluster({ nodeTimeoutMs: 1_000 });
  let client: Cluster | undefined;
  afterAll(() => client?.disconnect());

  it('forms 3 masters with one replica each, serving all 16 384 slots', async () => {
    const topology = await cluster().topology();
    const masters = topology.filter((node) => node.role === 'master');
    expect(masters).toHaveLength(3);
    expect(masters.reduce((sum, node) => sum + node.slots, 0)).toBe(16_384);
    for (const master of masters) {
      expect(topology.filter((node) => node.masterId === master.id)).toHaveLength(1);
    }
    expect(cluster().url).toBe(`redis-cluster://${cluster().seeds}`);
    expect(cluster().nodes.map((node) => node.port)).not.toContain(6379);
  });

  it('promotes the replica of a SIGKILLed master; replicated data survives', async () => {
    client = new Cluster(
      cluster()
        .seeds.split(',')
        .map((seed) => ({ host: '127.0.0.1', port: Number(seed.split(':')[1]) })),
    );
    client.on('error', () => undefined); // expected while the master is down
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    for (const key of keys) await client.set(key, key);
    // Replication is asynchronous: wait until the replicas have it all, so the crash loses nothing.
    await cluster().waitForReplication();
    const before = await cluster().topology();
    const { killed, promoted, failoverMs } = await cluster().killMaster();
    expect(killed.pid).toBeUndefined();
    expect(failoverMs).toBeGreaterThan(0);
    const after = await cluster().topology();
    const promotedInfo = after.find((node) => node.port === promoted.port)!;
    expect(promotedInfo.role).toBe('master');
    expect(promotedInfo.slots).toBe(before.find((node) => node.port === killed.port)!.slots);
    expect(after.find((node) => node.port === killed.port)?.failed).toBe(true);
    client.refreshSlotsCache();
    for (const key of keys) expect(await client.get(key)).toBe(key);
  });

  it('rejoins a restarted node as a replica', async () => {
    const down = cluster().nodes.find((node) => node.pid === undefined)!;
    await down.start();
    await cluster().waitForOk();
    // The node comes back as the master it was and learns from gossip that its replica took
    // over, then turns replica; every node's view catches up a moment later.
    await vi.waitFor(
      async () => {
        const topology = await cluster().topology();
        expect(topology.find((node) => node.port === down.port)).toMatchObject({
          role: 'replica',
          failed: false,
        });
      },
      { timeout: 15_000, interval: 100 },
    );
  });
});

describe('parseClusterNodes', () => {
  it('reads roles, masters, failures and slot ranges', () => {
    const reply = [
      'a1 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460',
      'b2 127.0.0.1:7001@17001 slave a1 0 1 1 connected',
      'c3 127.0.0.1:7002@17002 master,fail - 0 1 2 disconnected',
      'd4 127.0.0.1:7003@17003 master - 0 1 3 connected 5461 5462-10922 [5463->-e5]',
    ].join('\n');
    expect(parseClusterNodes(reply)).toEqual([
      {
        id: 'a1',
        host: '127.0.0.1',
        port: 7000,
        role: 'master',
        masterId: undefined,
        failed: false,
        slots: 5461,
        slotRanges: [[0, 5460]],
      },
      {
        id: 'b2',
        host: '127.0.0.1',
        port: 7001,
        role: 'replica',
        masterId: 'a1',
        failed: false,
        slots: 0,
        slotRanges: [],
      },
      {
        id: 'c3',
        host: '127.0.0.1',
        port: 7002,
        role: 'master',
        masterId: undefined,
        failed: true,
        slots: 0,
        slotRanges: [],
      },
      {
        id: 'd4',
        host: '127.0.0.1',
        port: 7003,
        role: 'master',
        masterId: undefined,
        failed: false,
        slots: 5462,
        slotRanges: [
          [5461, 5461],
          [5462, 10922],
        ],
      },
    ]);
    const [a1, , , d4] = parseClusterNodes(reply);
    expect(servesSlot(a1!, 5460)).toBe(true);
    expect(servesSlot(a1!, 5461)).toBe(false);
    expect(servesSlot(d4!, 5461)).toBe(true);
  });
});
