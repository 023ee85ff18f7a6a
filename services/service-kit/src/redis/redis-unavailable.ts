/** Socket error codes meaning the Redis server could not be reached or the connection broke. */
const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

/**
 * Messages of an ioredis `Cluster` (or a cluster node) while a master fails over or the cluster
 * cannot serve a slot: the redirection budget ran out, the cluster is down or reconfiguring, no
 * node answers.
 */
const clusterMessages = [
  'Too many Cluster redirections',
  'CLUSTERDOWN',
  'TRYAGAIN',
  'Cluster is disconnected',
  "Cluster isn't ready",
  'None of startup nodes is available',
  'Failed to refresh slots cache',
  'Node is disconnected',
];

/**
 * True when an ioredis command failed because Redis is unreachable (connection refused or lost,
 * retries per request exhausted, command timeout, a Redis Cluster failing over) rather than
 * because of the command itself.
 * Services answer these 503 `service_unavailable` instead of 500: the request may succeed on a
 * retry. Structural (name, code, message), so it needs no ioredis import and survives two copies.
 */
export function isRedisUnavailableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  if (name === 'MaxRetriesPerRequestError') return true;
  if (typeof code === 'string' && connectionCodes.has(code)) return true;
  return (
    typeof message === 'string' &&
    (message === 'Connection is closed.' ||
      message.startsWith('Command timed out') ||
      message.startsWith("Stream isn't writeable") ||
      clusterMessages.some((start) => message.startsWith(start)))
  );
}
