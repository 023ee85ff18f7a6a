/**
 * The Lua scripts of the order repository. Each runs atomically, and each checks every
 * precondition (key types included) before its first write: Redis does not roll back a script
 * whose later command fails, so check-then-write is what makes a script all-or-nothing.
 */
import { expectTypeLua } from '@shipshape/service-kit';

const write = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.error_reply('ID_COLLISION ' .. KEYS[1] .. ' already exists')
end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'status', 'pending')
redis.call('XADD', KEYS[2], '*', 'orderId', ARGV[1], 'payload', ARGV[3])
`;

/**
 * Stores a pending order and its outbox entry together: an order never exists without the entry
 * that leads to its payment job, and an entry never exists without its order.
 * KEYS[1] order, KEYS[2] outbox stream. ARGV[1] order id, ARGV[2] order JSON, ARGV[3] outbox payload.
 * Returns `{'created'}`.
 */
export const createOrderLua = `${expectTypeLua}
local bad = expect_type(KEYS[1], 'hash') or expect_type(KEYS[2], 'stream')
if bad then return bad end
${write}
return { 'created' }
`;

/**
 * As {@link createOrderLua}, keyed by an Idempotency-Key: the first request creates the order and
 * records the key; later ones with the same body get the first order's id.
 * KEYS[1] order, KEYS[2] outbox stream, KEYS[3] idempotency record.
 * ARGV[1..3] as above, ARGV[4] body hash, ARGV[5] retention of the record in ms (0 = forever;
 * keep it at most the orders' retention, so a record never outlives the order it points at).
 * Returns `{'created'}`, `{'existing', orderId}` or `{'mismatch'}`.
 */
export const createOrderIdempotentLua = `${expectTypeLua}
local bad = expect_type(KEYS[1], 'hash') or expect_type(KEYS[2], 'stream') or expect_type(KEYS[3], 'hash')
if bad then return bad end
local record = redis.call('HMGET', KEYS[3], 'orderId', 'hash')
if record[1] then
  if record[2] ~= ARGV[4] then return { 'mismatch' } end
  return { 'existing', record[1] }
end
${write}
redis.call('HSET', KEYS[3], 'orderId', ARGV[1], 'hash', ARGV[4])
if tonumber(ARGV[5]) > 0 then redis.call('PEXPIRE', KEYS[3], ARGV[5]) end
return { 'created' }
`;

/**
 * Compare-and-set of the status; the order expires `ARGV[3]` ms after it reaches a status that
 * needs no more work (the caller decides which: `paid`, `payment_declined`). Orders in any other
 * status never expire: they still have a payment to finish or an operator to wait for.
 * KEYS[1] order. ARGV[1] expected status, ARGV[2] new status, ARGV[3] retention in ms (0: keep).
 * Returns `{'not_found'}`, `{'conflict', data, currentStatus}` or `{'updated', data, newStatus}`.
 */
export const setStatusLua = `
local record = redis.call('HMGET', KEYS[1], 'data', 'status')
if not record[1] then return { 'not_found' } end
if record[2] ~= ARGV[1] then return { 'conflict', record[1], record[2] } end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return { 'updated', record[1], ARGV[2] }
`;
