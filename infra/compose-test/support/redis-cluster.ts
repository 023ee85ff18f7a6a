import type { ComposeProject } from './compose.ts';

/** One line of `CLUSTER NODES` as the compose test needs it. */
export interface ComposeClusterNode {
  /** The node's id (kept across restarts in its nodes.conf). */
  id: string;
  /** The node's address inside the compose network (`172.x.y.z`). */
  ip: string;
  master: boolean;
  /** `fail` or `fail?` among its flags. */
  failing: boolean;
  /** Slot ranges it serves (masters only), as `[first, last]` pairs. */
  slots: [number, number][];
}

/**
 * `CLUSTER NODES` as seen by the node of `service` (run with `redis-cli` inside its container).
 * Throws when the command fails.
 */
export async function clusterNodes(project: ComposeProject, service: string): Promise<ComposeClusterNode[]> {
  const result = await project.exec(service, ['redis-cli', 'cluster', 'nodes']);
  if (result.status !== 0)
    throw new Error(`cluster nodes on ${service} exited ${result.status}: ${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', address = '', flags = '', , , , , , ...slots] = line.trim().split(' ');
      const flagList = flags.split(',');
      return {
        id,
        ip: address.split(':')[0]!,
        master: flagList.includes('master'),
        failing: flagList.includes('fail') || flagList.includes('fail?'),
        slots: slots
          .filter((range) => !range.startsWith('['))
          .map((range) => {
            const [first, last = first] = range.split('-');
            return [Number(first), Number(last)] as [number, number];
          }),
      };
    });
}

/** The healthy master that serves `slot`, if the node of `service` knows one. */
export async function masterOfSlot(
  project: ComposeProject,
  service: string,
  slot: number,
): Promise<ComposeClusterNode | undefined> {
  return (await clusterNodes(project, service)).find(
    (node) =>
      node.master && !node.failing && node.slots.some(([first, last]) => slot >= first && slot <= last),
  );
}

/** `CLUSTER KEYSLOT key`, asked of the node of `service`. */
export async function keySlot(project: ComposeProject, service: string, key: string): Promise<number> {
  const result = await project.exec(service, ['redis-cli', 'cluster', 'keyslot', key]);
  const slot = Number.parseInt(result.stdout.trim(), 10);
  if (result.status !== 0 || !Number.isInteger(slot))
    throw new Error(`cluster keyslot ${key}: ${result.stderr}`);
  return slot;
}
