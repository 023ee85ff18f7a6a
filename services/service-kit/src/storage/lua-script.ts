import type { RedisClient } from '../redis/redis-client.ts';

/** A Lua script bound to one connection; ioredis runs it with EVALSHA and reloads it on NOSCRIPT. */
export type LuaScript = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

/**
 * Registers `lua` on `redis` under `name` (ioredis `defineCommand`) and returns a typed caller.
 * A script runs atomically: no other command interleaves, and its writes reach the AOF/replicas
 * as one unit. On a Redis Cluster every key of one call must hash to the same slot (give them a
 * common `{hash tag}`), else the node answers CROSSSLOT. Redis does NOT undo a script's earlier writes when a later command fails, so every
 * script here checks all its preconditions (key types included) before the first write.
 */
export function defineLuaScript(
  redis: RedisClient,
  name: string,
  numberOfKeys: number,
  lua: string,
): LuaScript {
  redis.defineCommand(name, { numberOfKeys, lua });
  const command = (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>)[
    name
  ];
  if (typeof command !== 'function') throw new Error(`ioredis did not define the script "${name}"`);
  return (keys, args) => command.call(redis, ...keys, ...args);
}

/**
 * A Lua prelude defining `expect_type(key, allowed)`: nil when `key` is missing or of type
 * `allowed`, else a WRONGTYPE error reply to return. Scripts call it for every key before their
 * first write, because Redis does not roll back a script whose later command fails.
 */
export const expectTypeLua = `
local function expect_type(key, allowed)
  local actual = redis.call('TYPE', key)['ok']
  if actual ~= 'none' and actual ~= allowed then
    return redis.error_reply('WRONGTYPE ' .. key .. ' holds a ' .. actual .. ', expected ' .. allowed)
  end
  return nil
end
`;
