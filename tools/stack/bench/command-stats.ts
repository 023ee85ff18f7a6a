/**
 * Redis commands executed, from `INFO commandstats`: calls per command, counting the commands
 * that Lua scripts and functions run (so it is work done by Redis, not round trips). On a Redis
 * Cluster the masters' figures are summed; replicas are not asked. Their work (applying the
 * replication stream) is not a command the platform sent, and leaving it out keeps the figure
 * comparable with one node's; it shows in the Redis CPU instead, which covers every process.
 */
import type { RedisClient } from '@shipshape/service-kit';
import { masterNodes } from './bench-redis.ts';

/** Calls per command name (`get`, `evalsha`, `client|setname`, …). */
export type CommandCalls = Record<string, number>;

/** Reads the `calls=` of every `cmdstat_<name>:` line of an `INFO commandstats` reply. */
export function parseCommandStats(info: string): CommandCalls {
  const calls: CommandCalls = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[match[1]!] = Number(match[2]);
  return calls;
}

/** The per-command sum of several nodes' readings (a command missing on a node counts 0 there). */
export function sumCommandCalls(readings: readonly CommandCalls[]): CommandCalls {
  const sum: CommandCalls = {};
  for (const reading of readings) {
    for (const [name, calls] of Object.entries(reading)) sum[name] = (sum[name] ?? 0) + calls;
  }
  return sum;
}

/** Calls per command so far on one node, or summed over the masters of a cluster. */
export async function redisCommandCalls(client: RedisClient): Promise<CommandCalls> {
  const replies = await Promise.all(masterNodes(client).map((node) => node.info('commandstats')));
  return sumCommandCalls(replies.map(parseCommandStats));
}

/**
 * Calls per command between two readings ÷ `orders` (at least 1), rounded to 0.01, largest
 * first; commands below 0.01 per order are left out.
 */
export function commandsPerOrder(before: CommandCalls, after: CommandCalls, orders: number): CommandCalls {
  return Object.fromEntries(
    Object.entries(after)
      .map(
        ([name, calls]) =>
          [name, Math.round(((calls - (before[name] ?? 0)) / Math.max(1, orders)) * 100) / 100] as const,
      )
      .filter(([, perOrder]) => perOrder >= 0.01)
      .sort((a, b) => b[1] - a[1]),
  );
}
