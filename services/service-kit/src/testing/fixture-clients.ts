import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** How often a fixture polls for the start key, in ms. */
const pollIntervalMs = 5;

/**
 * The fixture side of {@link runRedisFixtureProcesses}: opens `CONNECTIONS` connections to
 * `REDIS_URL`, prints `ready`, then waits until the test sets `START_KEY`, so every process acts
 * at the same moment. Connection errors go to stderr, which the test inherits.
 * @throws RangeError naming the environment variable that is missing or invalid.
 */
export async function openFixtureClients(env: NodeJS.ProcessEnv = process.env): Promise<Redis[]> {
  const { REDIS_URL: url, START_KEY: startKey } = env;
  const connections = Number(env.CONNECTIONS);
  if (url === undefined || url === '') throw new RangeError('REDIS_URL must be set, got nothing');
  if (startKey === undefined || startKey === '') throw new RangeError('START_KEY must be set, got nothing');
  if (!Number.isInteger(connections) || connections < 1) {
    throw new RangeError(`CONNECTIONS must be an integer >= 1, got ${env.CONNECTIONS}`);
  }
  const clients = Array.from({ length: connections }, () => {
    const client = new Redis(url);
    client.on('error', (error) => console.error(error));
    return client;
  });
  process.stdout.write('ready\n');
  while ((await clients[0]!.get(startKey)) === null) await sleep(pollIntervalMs);
  return clients;
}
