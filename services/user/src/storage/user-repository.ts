import { defineLuaScript, uuidV7, type LuaScript, type RedisClient } from '@shipshape/service-kit';
import { EmailTakenError } from '../errors/email-taken-error.ts';
import {
  idSchema,
  maxPageLimit,
  normalizeEmail,
  type CreateUserBody,
  type User,
  type UserPage,
} from '../schemas.ts';
import { createUserLua } from './create-user-script.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { userKeyLayout, type UserKeyLayout } from './keys.ts';

/** Options of {@link UserRepository}. */
export interface UserRepositoryOptions {
  /** The connection; the repository registers its Lua scripts on it and never closes it. */
  redis: RedisClient;
  /**
   * Where the keys live.
   * @default userKeyLayout(redis): partitioned on an ioredis `Cluster`, the one-node layout else
   */
  layout?: UserKeyLayout;
  /**
   * The clock, in ms since the epoch; stamps `createdAt` and the time part of ids.
   * @default Date.now
   */
  now?: () => number;
}

/** Arguments of {@link UserRepository.listUsers}. */
export interface ListUsersOptions {
  /** Page size, 1..100. */
  limit: number;
  /** `nextCursor` of the previous page; absent for the first page. */
  cursor?: string | undefined;
}

const defaults = { now: Date.now } satisfies Partial<UserRepositoryOptions>;

const isId = (value: string): boolean => idSchema.safeParse(value).success;

/**
 * Users in Redis. Ids are UUIDv7, so the `user:users` sorted set (one per partition on a cluster) (all scores 0) orders them by
 * creation and a page is one `ZRANGE … BYLEX` after the previous page's last id: concurrent
 * inserts land after every existing id, so a listing in progress never repeats or skips a user
 * that existed when it started.
 */
export class UserRepository {
  readonly #redis: RedisClient;
  readonly #keys: UserKeyLayout;
  readonly #now: () => number;
  readonly #createUser: LuaScript;

  constructor(options: UserRepositoryOptions) {
    const merged = { ...defaults, ...options };
    this.#redis = merged.redis;
    this.#keys = merged.layout ?? userKeyLayout(merged.redis);
    this.#now = merged.now;
    this.#createUser = defineLuaScript(this.#redis, 'shipshapeUserCreate', 3, createUserLua);
  }

  /**
   * Stores a new user. The email is kept as given; uniqueness compares it lower-cased.
   * @throws {EmailTakenError} when another user holds the email, also under concurrent creation.
   */
  async createUser(input: CreateUserBody): Promise<User> {
    const nowMs = this.#now();
    const email = normalizeEmail(input.email);
    const keys = this.#keys;
    const partition = keys.partitionOfEmail(email);
    const user: User = {
      id: keys.userIdIn(uuidV7(nowMs), partition),
      email: input.email,
      name: input.name,
      createdAt: new Date(nowMs).toISOString(),
    };
    const reply = (await this.#createUser(
      [keys.email(email), keys.user(user.id), keys.users(partition)],
      [user.id, JSON.stringify(user)],
    )) as [string, string?];
    if (reply[0] === 'taken') throw new EmailTakenError(input.email);
    return user;
  }

  /** The user with `id`, or undefined. */
  async getUser(id: string): Promise<User | undefined> {
    const raw = await this.#redis.get(this.#keys.user(id));
    return raw === null ? undefined : (JSON.parse(raw) as User);
  }

  /**
   * One page of users, oldest first.
   * @throws {InvalidCursorError} when `cursor` was not issued by this service.
   */
  async listUsers(options: ListUsersOptions): Promise<UserPage> {
    const { limit } = options;
    if (!Number.isInteger(limit) || limit < 1 || limit > maxPageLimit) {
      throw new RangeError(`limit must be an integer in [1, ${maxPageLimit}], got ${limit}`);
    }
    const start = options.cursor === undefined ? '-' : `(${decodeCursor(options.cursor, isId)}`;
    // One extra id tells whether another page follows without a second round trip. On a
    // cluster each partition's index gives its next ids and the page is the smallest of them.
    const keys = this.#keys;
    const perPartition = await Promise.all(
      Array.from({ length: keys.partitions }, (_, partition) =>
        this.#redis.zrange(keys.users(partition), start, '+', 'BYLEX', 'LIMIT', 0, limit + 1),
      ),
    );
    const ids = perPartition
      .flat()
      .sort()
      .slice(0, limit + 1);
    const pageIds = ids.slice(0, limit);
    const raws = await this.#readUsers(pageIds);
    const items = raws.filter((raw): raw is string => raw !== null).map((raw) => JSON.parse(raw) as User);
    const last = pageIds.at(-1);
    return { items, nextCursor: ids.length > limit && last !== undefined ? encodeCursor(last) : null };
  }

  /** The records of `ids`, in order (null where missing): one MGET per partition (one slot each). */
  async #readUsers(ids: readonly string[]): Promise<(string | null)[]> {
    const byPartition = new Map<number, string[]>();
    for (const id of ids) {
      const partition = this.#keys.partitionOfUser(id);
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), id]);
    }
    const found = new Map<string, string | null>();
    await Promise.all(
      [...byPartition.values()].map(async (group) => {
        const raws = await this.#redis.mget(group.map((id) => this.#keys.user(id)));
        group.forEach((id, i) => found.set(id, raws[i] ?? null));
      }),
    );
    return ids.map((id) => found.get(id) ?? null);
  }
}
