import { expect, it } from 'vitest';
import { findRedisServer, RedisServerNotFoundError } from './find-binary.ts';

it('fails with one message that says how to install redis-server when none exists', () => {
  const find = () => findRedisServer({ PATH: '/nonexistent' }, []);
  expect(find).toThrow(RedisServerNotFoundError);
  expect(find).toThrow(/apt-get install redis-server/);
});

it('prefers REDIS_SERVER_BIN over PATH', () => {
  expect(findRedisServer({ REDIS_SERVER_BIN: '/bin/sh', PATH: '/usr/bin' }, [])).toBe('/bin/sh');
});
