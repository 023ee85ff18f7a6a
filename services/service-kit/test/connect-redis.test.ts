import { freePort, startRedis } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { connectRedis } from '../src/redis/connect-redis.ts';
import { isRedisUnavailableError } from '../src/redis/redis-unavailable.ts';

const redis = useRedisServer();
const logger = { warn: () => {} };

it('resolves with a connected client when Redis answers', async () => {
  const client = await connectRedis(redis.url, { logger });
  try {
    expect(await client.ping()).toBe('PONG');
  } finally {
    await client.quit();
  }
});

it('rejects with a message naming the problem when nothing listens', async () => {
  const port = await freePort();
  await expect(
    connectRedis(`redis://127.0.0.1:${port}`, { logger, connectTimeoutMs: 2_000 }),
  ).rejects.toThrow(/Redis is unreachable at start \(ECONNREFUSED/);
});

it('rejects a connectTimeoutMs that is not positive with a RangeError naming it', async () => {
  await expect(connectRedis(redis.url, { logger, connectTimeoutMs: 0 })).rejects.toThrow(
    'connectTimeoutMs must be a finite number > 0, got 0',
  );
});

it('rejects a command that gets no answer within commandTimeoutMs as Redis unavailable', async () => {
  // A stopped (SIGSTOP) redis-server keeps its socket open and answers nothing, like a node that
  // vanished from the network: without the timeout the command would wait for TCP to give up.
  const own = await startRedis();
  const client = await connectRedis(own.url, { logger, commandTimeoutMs: 200 });
  try {
    process.kill(own.pid!, 'SIGSTOP');
    const error = await client.get('anything').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^Command timed out/);
    expect(isRedisUnavailableError(error)).toBe(true);
  } finally {
    process.kill(own.pid!, 'SIGCONT');
    client.disconnect();
    await own.close();
  }
});

it('rejects a commandTimeoutMs that is not positive with a RangeError naming it', async () => {
  await expect(connectRedis(redis.url, { logger, commandTimeoutMs: -1 })).rejects.toThrow(
    'commandTimeoutMs must be a finite number > 0, got -1',
  );
});
