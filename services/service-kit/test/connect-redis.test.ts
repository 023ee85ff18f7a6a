import { freePort } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { connectRedis } from '../src/redis/connect-redis.ts';

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
