import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import { useRedisClients } from '../testing/redis-clients.ts';
import { defineLuaScript, expectTypeLua } from './lua-script.ts';

const redis = useRedisServer();
const connect = useRedisClients(() => redis.url);

const setIfString = `${expectTypeLua}
local bad = expect_type(KEYS[1], 'string')
if bad then return bad end
redis.call('SET', KEYS[1], ARGV[1])
return redis.call('GET', KEYS[1])
`;

describe('defineLuaScript', () => {
  it('runs the script with its keys and arguments', async () => {
    const client = connect();
    const run = defineLuaScript(client, 'kitSetIfString', 1, setIfString);
    expect(await run(['kit:a'], [42])).toBe('42');
    expect(await client.get('kit:a')).toBe('42');
  });

  it('reloads the script after SCRIPT FLUSH (NOSCRIPT)', async () => {
    const client = connect();
    const run = defineLuaScript(client, 'kitSetIfString', 1, setIfString);
    await run(['kit:b'], ['first']);
    await client.script('FLUSH');
    expect(await run(['kit:b'], ['second'])).toBe('second');
  });

  it('answers WRONGTYPE from expect_type before writing', async () => {
    const client = connect();
    await client.rpush('kit:list', 'x');
    const run = defineLuaScript(client, 'kitSetIfString', 1, setIfString);
    await expect(run(['kit:list'], ['v'])).rejects.toThrow(
      /WRONGTYPE kit:list holds a list, expected string/,
    );
    expect(await client.lrange('kit:list', 0, -1)).toEqual(['x']);
  });
});
