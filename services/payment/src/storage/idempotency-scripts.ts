/**
 * The Lua scripts behind idempotent charging. Each runs atomically, and each checks every
 * precondition (key types included) before its first write: Redis does not roll back a script
 * whose later command fails, so check-then-write is what makes a script all-or-nothing.
 *
 * The idempotency record `payment:idem:<key>` is a hash:
 * `state` = `pending` (a request holds the key and is talking to the processor) or `done`;
 * `hash` = SHA-256 of the canonical request body; `token` = the claimant's random token;
 * `paymentId` once done. A pending record carries a TTL (the lease), so a claimant that crashed
 * stops blocking the key once the lease runs out.
 */
import { expectTypeLua } from '@shipshape/service-kit';

/**
 * KEYS[1] idempotency record. ARGV[1] body hash, ARGV[2] token, ARGV[3] lease in ms.
 * Returns `{'claimed'}`, `{'pending'}`, `{'done', paymentId}` or `{'mismatch'}`.
 */
export const claimLua = `${expectTypeLua}
local bad = expect_type(KEYS[1], 'hash')
if bad then return bad end
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'state', 'pending', 'hash', ARGV[1], 'token', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return { 'claimed' }
end
local record = redis.call('HMGET', KEYS[1], 'state', 'hash', 'paymentId')
if record[2] ~= ARGV[1] then return { 'mismatch' } end
if record[1] == 'done' then return { 'done', record[3] } end
return { 'pending' }
`;

/**
 * Stores the payment and marks the key done, in one step.
 * KEYS[1] idempotency record, KEYS[2] payment, KEYS[3] the order's payment set.
 * ARGV[1] body hash, ARGV[2] payment id, ARGV[3] payment JSON, ARGV[4] retention of the done
 * record in ms (0 = forever), ARGV[5] retention of the payment and the order's set in ms
 * (0 = forever; the set's clock restarts with each payment of the order).
 * Returns `{'stored'}`, or `{'done', paymentId}` when another claimant finished first (possible
 * only after this claimant's lease ran out), in which case nothing is written.
 */
export const completeLua = `${expectTypeLua}
local bad = expect_type(KEYS[1], 'hash') or expect_type(KEYS[2], 'string') or expect_type(KEYS[3], 'zset')
if bad then return bad end
local record = redis.call('HMGET', KEYS[1], 'state', 'paymentId')
if record[1] == 'done' then return { 'done', record[2] } end
redis.call('SET', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], 0, ARGV[2])
if tonumber(ARGV[5]) > 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
  redis.call('PEXPIRE', KEYS[3], ARGV[5])
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'state', 'done', 'hash', ARGV[1], 'paymentId', ARGV[2])
if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return { 'stored' }
`;

/**
 * Gives the key up after a transient failure, only if this claimant still holds it.
 * KEYS[1] idempotency record. ARGV[1] token. Returns 1 when released, else 0.
 */
export const releaseLua = `
local record = redis.call('HMGET', KEYS[1], 'state', 'token')
if record[1] == 'pending' and record[2] == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;

/**
 * Extends the lease while the processor call is in flight, only if this claimant still holds it.
 * KEYS[1] idempotency record. ARGV[1] token, ARGV[2] lease in ms. Returns 1 when extended, else 0.
 */
export const renewLua = `
local record = redis.call('HMGET', KEYS[1], 'state', 'token')
if record[1] == 'pending' and record[2] == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;
