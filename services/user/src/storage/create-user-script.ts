import { expectTypeLua } from '@shipshape/service-kit';

/**
 * Creates a user and claims its email in one atomic step.
 *
 * KEYS[1] email index key, KEYS[2] user record key, KEYS[3] id sorted set.
 * ARGV[1] user id, ARGV[2] user JSON.
 * Returns `{ 'created' }` or `{ 'taken', <id of the holder> }`.
 *
 * Every precondition (including key types) is checked before the first write: Redis does not roll
 * back a script whose later command fails, so a check-then-write script is what makes it
 * all-or-nothing.
 */
export const createUserLua = `${expectTypeLua}local bad = expect_type(KEYS[1], 'string') or expect_type(KEYS[3], 'zset')
if bad then return bad end
local holder = redis.call('GET', KEYS[1])
if holder then return { 'taken', holder } end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return redis.error_reply('ID_COLLISION ' .. KEYS[2] .. ' already exists')
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], 0, ARGV[1])
return { 'created' }
`;
