import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** Options of {@link openClientsAndAwaitStart}. */
export interface FixtureClientsOptions {
  /** Redis URL of the test's private server. */
  readonly url: string;
  /** How many connections to open. */
  readonly connections: number;
  /** The key whose appearance is the start signal. */
  readonly startKey: string;
  /**
   * How often to poll for the start key, in ms.
   * @default 5
   */
  readonly pollIntervalMs?: number;
}

/**
 * The fixture side of {@link runFixtureProcesses}: opens the connections, prints `ready`, then
 * waits until the test sets `startKey`, so every process acts at the same moment. Connection
 * errors go to stderr, which the test inherits.
 */
export async function openClientsAndAwaitStart(options: FixtureClientsOptions): Promise<Redis[]> {
  if (!Number.isInteger(options.connections) || options.connections < 1) {
    throw new RangeError(`connections must be an integer >= 1, got ${options.connections}`);
  }
  const clients = Array.from({ length: options.connections }, () => {
    const client = new Redis(options.url);
    client.on('error', (error) => console.error(error));
    return client;
  });
  process.stdout.write('ready\n');
  while ((await clients[0]!.get(options.startKey)) === null) await sleep(options.pollIntervalMs ?? 5);
  return clients;
}
