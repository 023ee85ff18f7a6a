import { useRedisServer } from '@shipshape/test-harness/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { isEmailTakenError } from '../errors/email-taken-error.ts';
import { isInvalidCursorError } from '../errors/invalid-cursor-error.ts';
import { keyPrefix, keys } from './keys.ts';
import { scanAllKeys, useRedisClients } from '@shipshape/service-kit/testing';
import { UserRepository } from './user-repository.ts';

const redis = useRedisServer();
const client = useRedisClients(() => redis.url);

beforeEach(async () => {
  await client().flushall();
});

const repository = (now?: () => number): UserRepository =>
  new UserRepository({ redis: client(), ...(now ? { now } : {}) });

describe('createUser', () => {
  it('stores the user and returns it with a generated id and createdAt', async () => {
    const users = repository(() => Date.UTC(2026, 0, 2, 3, 4, 5, 6));
    const user = await users.createUser({ email: 'Ada@Example.com', name: 'Ada' });
    expect(user).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      email: 'Ada@Example.com',
      name: 'Ada',
      createdAt: '2026-01-02T03:04:05.006Z',
    });
    expect(await users.getUser(user.id)).toEqual(user);
  });

  it('rejects an email that differs only in case with EmailTakenError', async () => {
    const users = repository();
    await users.createUser({ email: 'ada@example.com', name: 'Ada' });
    const error: unknown = await users
      .createUser({ email: 'ADA@example.COM', name: 'Other' })
      .catch((e: unknown) => e);
    expect(isEmailTakenError(error)).toBe(true);
    expect(await client().zcard(keys.users)).toBe(1);
  });

  it('lets exactly one of 20 concurrent creations with one email win, on separate connections', async () => {
    const attempts = Array.from({ length: 20 }, (_, i) =>
      repository().createUser({
        email: i % 2 === 0 ? 'race@example.com' : 'RACE@example.com',
        name: `n${i}`,
      }),
    );
    const results = await Promise.allSettled(attempts);
    const created = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(created).toHaveLength(1);
    expect(rejected.every((r) => isEmailTakenError(r.reason))).toBe(true);
    expect(await client().zcard(keys.users)).toBe(1);
    const holder = await client().get(keys.email('race@example.com'));
    expect(holder).toBe(created[0]!.value.id);
  });

  it('writes nothing when a later step of the script would fail (all-or-nothing)', async () => {
    // Corrupt the id index so ZADD, the script's last write, would hit WRONGTYPE.
    await client().set(keys.users, 'not a sorted set');
    const error: unknown = await repository()
      .createUser({ email: 'ada@example.com', name: 'Ada' })
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/WRONGTYPE/);
    expect(await scanAllKeys(client())).toEqual([keys.users]);
  });
});

describe('getUser', () => {
  it('returns undefined for an unknown id', async () => {
    expect(await repository().getUser('0192f0c5-5b7e-7c3a-9a51-3f1f0e0c9b2d')).toBeUndefined();
  });
});

describe('listUsers', () => {
  async function createMany(users: UserRepository, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      ids.push((await users.createUser({ email: `u${i}@example.com`, name: `User ${i}` })).id);
    }
    return ids;
  }

  it('returns an empty last page when there are no users', async () => {
    expect(await repository().listUsers({ limit: 20 })).toEqual({ items: [], nextCursor: null });
  });

  it('pages through every user oldest first and ends with a null cursor', async () => {
    let clock = 1_700_000_000_000;
    const users = repository(() => (clock += 1));
    const ids = await createMany(users, 7);
    const first = await users.listUsers({ limit: 3 });
    const second = await users.listUsers({ limit: 3, cursor: first.nextCursor! });
    const third = await users.listUsers({ limit: 3, cursor: second.nextCursor! });
    expect([first, second, third].flatMap((page) => page.items.map((u) => u.id))).toEqual(ids);
    expect(third.items).toHaveLength(1);
    expect(third.nextCursor).toBeNull();
  });

  it('returns a null cursor when the last page is exactly full', async () => {
    const users = repository();
    await createMany(users, 4);
    const first = await users.listUsers({ limit: 2 });
    const second = await users.listUsers({ limit: 2, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
  });

  it('never repeats or skips an existing user while others are inserted concurrently', async () => {
    const users = repository();
    const existing = await createMany(users, 30);
    const writer = repository();
    const inserting = (async () => {
      for (let i = 0; i < 30; i += 1) await writer.createUser({ email: `new${i}@example.com`, name: 'New' });
    })();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await users.listUsers({ limit: 4, cursor });
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    await inserting;
    expect(new Set(seen).size).toBe(seen.length);
    // Ids order by creation only to the millisecond, so compare in id order.
    expect(seen.filter((id) => existing.includes(id))).toEqual([...existing].sort());
    expect(seen).toEqual([...seen].sort());
  });

  it('rejects a cursor it did not issue with InvalidCursorError', async () => {
    const tampered = Buffer.from(JSON.stringify({ v: 1, after: '../etc/passwd' })).toString('base64url');
    for (const cursor of ['not-base64-json', tampered]) {
      const error: unknown = await repository()
        .listUsers({ limit: 5, cursor })
        .catch((e: unknown) => e);
      expect(isInvalidCursorError(error)).toBe(true);
    }
  });

  it('rejects a limit outside 1..100 with a RangeError naming it', async () => {
    await expect(repository().listUsers({ limit: 0 })).rejects.toThrow(/limit must be .* got 0/);
  });
});

describe('key layout', () => {
  it('writes only keys under the user: prefix', async () => {
    const users = repository();
    const user = await users.createUser({ email: 'Prefix@Example.com', name: 'P' });
    await users.createUser({ email: 'prefix@example.com', name: 'Dup' }).catch(() => undefined);
    await users.listUsers({ limit: 10 });
    const all = await scanAllKeys(client());
    expect(all).toEqual([keys.email('prefix@example.com'), keys.user(user.id), keys.users].sort());
    expect(all.every((key) => key.startsWith(keyPrefix))).toBe(true);
  });
});
