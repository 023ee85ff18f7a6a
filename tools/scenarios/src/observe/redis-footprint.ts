import { Redis } from 'ioredis';

/** The keys of one pattern and what they hold, from `MEMORY USAGE`. */
export interface PatternFootprint {
  /** `order:order:<id>`, `order:bull:payments:completed`, … */
  readonly pattern: string;
  readonly keys: number;
  /** Sum of `MEMORY USAGE <key> SAMPLES 0` (key, value and Redis' object overhead), bytes. */
  readonly bytes: number;
  /** Members of the pattern's keys (hash fields, zset members, stream entries; 1 for a string). */
  readonly members: number;
}

/** Key prefixes whose last part is an id (order, payment, user, job id, idempotency key, email). */
const idKeys = [
  /^(order:order:)/,
  /^(order:idem:)/,
  /^(payment:payment:)/,
  /^(payment:order:)/,
  /^(payment:idem:)/,
  /^(payment:processor:)/,
  /^(user:user:)/,
  /^(user:email:)/,
  /^(config:)/,
];
/** A BullMQ job hash (or one of its sub-keys): `order:bull:payments:<uuid>[:logs]`. */
const bullJob = /^(order:bull:[^:]+:)[0-9a-f]{8}-[0-9a-f-]{27}(:.*)?$/;
/** A rate limiter's per-client key: `ratelimit:<name>:<client>`, say. */
const limiterKey = /^(rl|ratelimit)(:[^:]+:).+$/;

/** The pattern of a Redis key: its id part replaced by `<id>` (job ids by `<jobId>`). */
export function keyPattern(key: string): string {
  const job = bullJob.exec(key);
  if (job) return `${job[1]}<jobId>${job[2] ?? ''}`;
  for (const prefix of idKeys) {
    const match = prefix.exec(key);
    if (match) return `${match[1]}<id>`;
  }
  const limiter = limiterKey.exec(key);
  if (limiter) return `${limiter[1]}${limiter[2]}<client>`;
  return key;
}

const memberCommand: Readonly<Record<string, string | undefined>> = {
  hash: 'hlen',
  zset: 'zcard',
  set: 'scard',
  list: 'llen',
  stream: 'xlen',
};

/**
 * Every key of the Redis at `redisUrl`, grouped by {@link keyPattern}, with its memory. SCANs in
 * pages and asks `MEMORY USAGE … SAMPLES 0` (exact for aggregates) per key, pipelined; meant for
 * a test Redis of a few hundred thousand keys at most, never for a production one.
 */
export async function redisFootprint(redisUrl: string): Promise<PatternFootprint[]> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  const totals = new Map<string, { keys: number; bytes: number; members: number }>();
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 1_000);
      cursor = next;
      if (keys.length === 0) continue;
      const types = (await redis.pipeline(keys.map((key) => ['type', key])).exec()) ?? [];
      const pipeline = redis.pipeline();
      keys.forEach((key, i) => {
        const reply = types[i]?.[1];
        const type = typeof reply === 'string' ? reply : 'none';
        pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
        const command = memberCommand[type];
        if (command) pipeline.call(command, key);
        else pipeline.call('EXISTS', key);
      });
      const replies = (await pipeline.exec()) ?? [];
      keys.forEach((key, i) => {
        const bytes = Number(replies[2 * i]?.[1] ?? 0);
        const members = Number(replies[2 * i + 1]?.[1] ?? 0);
        const pattern = keyPattern(key);
        const total = totals.get(pattern) ?? { keys: 0, bytes: 0, members: 0 };
        totals.set(pattern, {
          keys: total.keys + 1,
          bytes: total.bytes + bytes,
          members: total.members + members,
        });
      });
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return [...totals]
    .map(([pattern, total]) => ({ pattern, ...total }))
    .sort((a, b) => b.bytes - a.bytes || a.pattern.localeCompare(b.pattern));
}

/** `INFO memory` `used_memory` of the Redis at `redisUrl`, bytes. */
export async function redisUsedMemory(redisUrl: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const info = await redis.info('memory');
    return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? Number.NaN);
  } finally {
    redis.disconnect();
  }
}
