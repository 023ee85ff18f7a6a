import { parseClusterNodes, servesSlot, type ClusterNodeInfo } from '@shipshape/test-harness';
import type { ComposeProject } from './compose.ts';

/**
 * `CLUSTER NODES` as seen by the node of `service` (run with `redis-cli` inside its container);
 * `host` is each node's container address. Throws when the command fails.
 */
export async function clusterNodes(project: ComposeProject, service: string): Promise<ClusterNodeInfo[]> {
  const result = await project.exec(service, ['redis-cli', 'cluster', 'nodes']);
  if (result.status !== 0)
    throw new Error(`cluster nodes on ${service} exited ${result.status}: ${result.stderr}`);
  return parseClusterNodes(result.stdout);
}

/** The live master that serves `slot`, if the node of `service` knows one. */
export async function masterOfSlot(
  project: ComposeProject,
  service: string,
  slot: number,
): Promise<ClusterNodeInfo | undefined> {
  return (await clusterNodes(project, service)).find(
    (node) => node.role === 'master' && !node.failed && servesSlot(node, slot),
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
