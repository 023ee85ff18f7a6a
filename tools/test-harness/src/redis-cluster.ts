import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { findRedisServer } from './find-binary.ts';
import { freePort } from './free-port.ts';
import { startRedis, type RedisServer } from './redis-server.ts';
import { waitFor } from './wait.ts';

const run = promisify(execFile);

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /**
   * Masters; each gets one replica, so the cluster has `2 × masters` redis-server processes.
   * @default 3
   */
  masters?: number;
  /**
   * `cluster-node-timeout`, in ms: how long a master must be unreachable before its replica is
   * promoted. Small so that failover tests are quick.
   * @default 1_000
   */
  nodeTimeoutMs?: number;
  /** Extra `redis-server` arguments for every node. Default: none. */
  args?: string[];
  /** Longest wait for the cluster to form (all slots served, replicas in sync), in ms. Default: 20 000. */
  startTimeoutMs?: number;
}

/** One line of `CLUSTER NODES`, as seen by a live node. */
export interface ClusterNodeInfo {
  /** The node's cluster id (40 hex characters). */
  id: string;
  /** The address it announces (127.0.0.1 here; a container's address in compose). */
  host: string;
  /** Its client port. */
  port: number;
  /** `master` or `replica`. */
  role: 'master' | 'replica';
  /** The id of the master it replicates (replicas only). */
  masterId: string | undefined;
  /** True when the cluster marks it failed (`fail` flag). */
  failed: boolean;
  /** Number of hash slots it serves (masters only). */
  slots: number;
  /** The slot ranges it serves, `[first, last]` (masters only; slots in migration left out). */
  slotRanges: [number, number][];
}

/** True when `node` serves hash slot `slot`. */
export function servesSlot(node: Pick<ClusterNodeInfo, 'slotRanges'>, slot: number): boolean {
  return node.slotRanges.some(([first, last]) => slot >= first && slot <= last);
}

/** What {@link RedisCluster.killMaster} did and how long the cluster took to heal. */
export interface FailoverResult {
  /** The master that was SIGKILLed. */
  killed: RedisServer;
  /** The former replica that now serves its slots. */
  promoted: RedisServer;
  /** From the SIGKILL to `cluster_state:ok` on every live node with the replica promoted, in ms. */
  failoverMs: number;
}

/**
 * A private Redis Cluster on 127.0.0.1 (`masters` masters, one replica each), owned by one test
 * file, with the controls failover tests need. `close()` always leaves nothing running.
 */
export interface RedisCluster {
  /** Every node, in the order given to `redis-cli --cluster create` (masters first). */
  readonly nodes: readonly RedisServer[];
  /** The seed list `127.0.0.1:<port>,…` of every node (the clients discover the rest). */
  readonly seeds: string;
  /**
   * `redis-cluster://127.0.0.1:<port>,…`: the URL form the service kit's `createRedisClient`
   * reads as "this is a cluster".
   */
  readonly url: string;
  /** `CLUSTER NODES` as seen by the first live node. */
  topology(): Promise<ClusterNodeInfo[]>;
  /**
   * SIGKILLs a master (the one on `port`, else the first one with a live replica) and waits until its
   * replica is promoted and every live node reports `cluster_state:ok`. With `how: 'pause'` the
   * master is SIGSTOPped instead: its sockets stay open and nothing answers, as when a host or
   * container vanishes from the network (no connection reset reaches the clients). A paused
   * node counts as down until {@link RedisCluster.resume}.
   */
  killMaster(options?: {
    port?: number;
    timeoutMs?: number;
    how?: 'kill' | 'pause';
  }): Promise<FailoverResult>;
  /** Thaws a node paused by `killMaster({ how: 'pause' })` (SIGCONT); it rejoins as a replica. */
  resume(node: RedisServer): void;
  /** Waits until every live node reports `cluster_state:ok`. */
  waitForOk(timeoutMs?: number): Promise<void>;
  /**
   * Waits until every live replica has acknowledged its master's whole replication stream, so
   * that a master killed next loses nothing (replication is asynchronous otherwise).
   */
  waitForReplication(timeoutMs?: number): Promise<void>;
  /** Sends one command to a node with `redis-cli` and returns its output (trimmed). */
  command(port: number, ...args: string[]): Promise<string>;
  /** Stops every node and deletes their directories. Idempotent. */
  close(): Promise<void>;
}

/** Finds `redis-cli` next to `redis-server` (same package on Debian), else on PATH. */
export function findRedisCli(): string {
  const sibling = join(dirname(findRedisServer()), 'redis-cli');
  return existsSync(sibling) ? sibling : 'redis-cli';
}

/**
 * Starts `2 × masters` private redis-servers with `--cluster-enabled yes` (each in its own
 * directory, on free 127.0.0.1 ports, with an explicit free `cluster-port` for the bus), joins
 * them with `redis-cli --cluster create … --cluster-replicas 1`, and waits until every node
 * reports `cluster_state:ok` and every replica is in sync with its master.
 * @throws RedisServerNotFoundError when no redis-server binary exists
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1_000;
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  if (!Number.isInteger(masters) || masters < 3)
    throw new RangeError(`masters must be an integer ≥ 3, got ${masters}`);
  const cli = findRedisCli();
  const nodes: RedisServer[] = [];
  let closed = false;

  const command = async (port: number, ...args: string[]): Promise<string> => {
    const { stdout } = await run(cli, ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 5_000 });
    return stdout.trim();
  };
  const paused = new Set<RedisServer>();
  const live = (): RedisServer[] => nodes.filter((node) => node.pid !== undefined && !paused.has(node));
  const info = async (port: number, section: string): Promise<string> =>
    command(port, section === 'cluster' ? 'CLUSTER' : 'INFO', section === 'cluster' ? 'INFO' : section).catch(
      () => '',
    );
  const allOk = async (): Promise<boolean> => {
    const replies = await Promise.all(live().map((node) => info(node.port, 'cluster')));
    return replies.every((reply) => reply.includes('cluster_state:ok'));
  };

  const cluster: RedisCluster = {
    nodes,
    get seeds() {
      return nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
    },
    get url() {
      return `redis-cluster://${cluster.seeds}`;
    },
    async topology() {
      for (const node of live()) {
        const reply = await command(node.port, 'CLUSTER', 'NODES').catch(() => '');
        if (reply) return parseClusterNodes(reply);
      }
      throw new Error('no live cluster node answered CLUSTER NODES');
    },
    async waitForOk(timeoutMs = startTimeoutMs) {
      await waitFor('every live cluster node to report cluster_state:ok', allOk, {
        timeoutMs,
        intervalMs: 100,
      });
    },
    async waitForReplication(timeoutMs = startTimeoutMs) {
      await waitFor(
        "every replica to acknowledge its master's replication offset",
        async () => {
          const masterNodes = (await cluster.topology()).filter(
            (node) => node.role === 'master' && !node.failed,
          );
          const replies = await Promise.all(masterNodes.map((node) => info(node.port, 'replication')));
          return replies.every((reply) => {
            const offset = /master_repl_offset:(\d+)/.exec(reply)?.[1];
            const replicas = [...reply.matchAll(/slave\d+:.*offset=(\d+)/g)].map((match) => match[1]);
            return offset !== undefined && replicas.length > 0 && replicas.every((value) => value === offset);
          });
        },
        { timeoutMs, intervalMs: 50 },
      );
    },
    async killMaster({ port, timeoutMs = 10 * nodeTimeoutMs + 10_000, how = 'kill' } = {}) {
      const before = await cluster.topology();
      const pausedPorts = new Set([...paused].map((node) => node.port));
      const hasLiveReplica = (id: string): boolean =>
        before.some((node) => node.masterId === id && !node.failed && !pausedPorts.has(node.port));
      // Without a port: the first live master that a live replica can replace.
      const master = before.find(
        (node) =>
          node.role === 'master' &&
          !node.failed &&
          (port === undefined ? hasLiveReplica(node.id) : node.port === port),
      );
      if (!master) throw new Error(`no live master${port === undefined ? '' : ` on port ${port}`}`);
      const replica = before.find((node) => node.masterId === master.id && !node.failed);
      if (!replica) throw new Error(`master on port ${master.port} has no live replica to promote`);
      const killed = nodes.find((node) => node.port === master.port)!;
      const promoted = nodes.find((node) => node.port === replica.port)!;
      const started = performance.now();
      if (how === 'pause') {
        paused.add(killed);
        killed.pause();
      } else await killed.kill();
      await waitFor(
        `the replica on port ${replica.port} to take over from the master on port ${master.port}`,
        async () => (await info(replica.port, 'replication')).includes('role:master') && (await allOk()),
        { timeoutMs, intervalMs: 50 },
      );
      return { killed, promoted, failoverMs: Math.round(performance.now() - started) };
    },
    resume(node) {
      if (!paused.delete(node)) return;
      node.resume();
    },
    command,
    async close() {
      if (closed) return;
      closed = true;
      for (const node of paused) node.resume();
      paused.clear();
      await Promise.all(nodes.map((node) => node.close()));
    },
  };

  try {
    const started = await Promise.all(
      Array.from({ length: masters * 2 }, async () =>
        startRedis({
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            String(nodeTimeoutMs),
            '--cluster-port',
            String(await freePort()),
            // Promote a replica however long it was cut off: a test cluster has no stale data to fear.
            '--cluster-replica-validity-factor',
            '0',
            ...(options.args ?? []),
          ],
        }),
      ),
    );
    nodes.push(...started);
    await run(
      cli,
      [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      {
        timeout: startTimeoutMs,
      },
    );
    await cluster.waitForOk();
    await waitFor(
      'every replica to be in sync with its master',
      async () => {
        const topology = await cluster.topology();
        const replicas = topology.filter((node) => node.role === 'replica');
        if (replicas.length !== masters) return false;
        const links = await Promise.all(replicas.map((node) => info(node.port, 'replication')));
        return links.every((reply) => reply.includes('master_link_status:up'));
      },
      { timeoutMs: startTimeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}

/** Parses the reply of `CLUSTER NODES`. */
export function parseClusterNodes(reply: string): ClusterNodeInfo[] {
  return reply
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [id = '', address = '', flags = '', master = '-', , , , , ...slots] = line.split(' ');
      const flagList = flags.split(',');
      const hostPort = address.split('@')[0] ?? '';
      const slotRanges = slots
        .filter((range) => !range.startsWith('[')) // a slot in migration
        .map((range) => {
          const [from, to = from] = range.split('-').map(Number);
          return [from!, to!] as [number, number];
        });
      return {
        id,
        host: hostPort.slice(0, hostPort.lastIndexOf(':')),
        port: Number(hostPort.split(':').at(-1)),
        role: flagList.includes('master') ? 'master' : 'replica',
        masterId: master === '-' ? undefined : master,
        failed: flagList.includes('fail'),
        slots: slotRanges.reduce((sum, [from, to]) => sum + (to - from + 1), 0),
        slotRanges,
      } satisfies ClusterNodeInfo;
    });
}
