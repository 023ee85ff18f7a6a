import { Redis } from 'ioredis';
import { afterEach } from 'vitest';

/**
 * Opens ioredis connections for a test and closes them after it. Every connection reports its
 * errors (an unhandled ioredis 'error' event would crash the worker).
 */
export function useRedisClients(url: () => string): () => Redis {
  const open: Redis[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((client) => client.quit().catch(() => client.disconnect())));
  });
  return () => {
    const client = new Redis(url(), { maxRetriesPerRequest: 1 });
    client.on('error', () => {});
    open.push(client);
    return client;
  };
}

/** Every key of the database (SCAN, never KEYS). */
export async function scanAllKeys(client: Redis): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'COUNT', 1000);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found.sort();
}
