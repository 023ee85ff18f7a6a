import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { redisPing, startRedis, waitFor, type RedisServer } from '../src/index.ts';
import { useRedisServer } from '../src/vitest.ts';

describe('startRedis', () => {
  let server: RedisServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('starts a private server on a port other than 6379 that answers PING', async () => {
    server = await startRedis();
    expect(server.port).not.toBe(6379);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await redisPing(server.port)).toBe('+PONG');
  });

  it('stops gracefully and starts again on the same port', async () => {
    server = await startRedis();
    const { port } = server;
    await server.stop();
    expect(await redisPing(port)).toBeUndefined();
    expect(server.pid).toBeUndefined();
    await server.start();
    expect(server.port).toBe(port);
    expect(await redisPing(port)).toBe('+PONG');
  });

  it('pauses so that requests hang, and resumes', async () => {
    server = await startRedis();
    server.pause();
    expect(await redisPing(server.port, '127.0.0.1', 300)).toBeUndefined();
    server.resume();
    expect(await redisPing(server.port)).toBe('+PONG');
  });

  it('leaves nothing running after close, even when paused', async () => {
    server = await startRedis();
    const { pid, port } = server;
    server.pause();
    await server.close();
    expect(await redisPing(port, '127.0.0.1', 200)).toBeUndefined();
    expect(() => process.kill(pid!, 0)).toThrow();
  });
});

describe('a client across a Redis crash', () => {
  const redis = useRedisServer();

  it('reconnects after the server is SIGKILLed and restarted', async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    client.on('error', () => undefined); // connection errors are expected while Redis is down
    try {
      await client.set('before', '1');
      await redis.kill();
      await expect(client.get('before')).rejects.toThrow();
      await redis.start();
      await waitFor('the client to reconnect', async () => (await client.ping().catch(() => '')) === 'PONG');
      // Nothing is persisted: the restarted server is empty, and the client works against it.
      expect(await client.get('before')).toBeNull();
      await client.set('after', '2');
      expect(await client.get('after')).toBe('2');
    } finally {
      client.disconnect();
    }
  });
});
