import { randomBytes } from 'node:crypto';

/**
 * An RFC 9562 UUIDv7: 48 bits of Unix time in ms, then random bits. Its lower-case text sorts
 * lexicographically by creation time (to the millisecond), which is what lets a Redis sorted set
 * with equal scores list records in creation order and page through them with a stable cursor.
 * Within one millisecond the order is random, which pagination tolerates (it is still a total order).
 */
export function uuidV7(nowMs: number, random: (size: number) => Uint8Array = randomBytes): string {
  if (!Number.isSafeInteger(nowMs) || nowMs < 0 || nowMs >= 2 ** 48) {
    throw new RangeError(`nowMs must be an integer in [0, 2^48), got ${nowMs}`);
  }
  const bytes = Uint8Array.from(random(16));
  let time = nowMs;
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
