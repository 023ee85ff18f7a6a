import { defineLuaScript, uuidV7, type LuaScript } from '@shipshape/service-kit';
import type { Redis } from 'ioredis';
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
import { keys } from './keys.ts';

/** Options of {@link UserRepository}. */
export interface UserRepositoryOptions {
  /** The connection; the repository registers its Lua scripts on it and never closes it. */
  redis: Redis;
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
 * Users in Redis. Ids are UUIDv7, so the `user:users` sorted set (all scores 0) orders them by
 * creation and a page is one `ZRANGE … BYLEX` after the previous page's last id: concurrent
 * inserts land after every existing id, so a listing in progress never repeats or skips a user
 * that existed when it started.
 */
export class UserRepository {
  readonly #redis: Redis;
  readonly #now: () => number;
  readonly #createUser: LuaScript;

  constructor(options: UserRepositoryOptions) {
    const merged = { ...defaults, ...options };
    this.#redis = merged.redis;
    this.#now = merged.now;
    this.#createUser = defineLuaScript(this.#redis, 'shipshapeUserCreate', 3, createUserLua);
  }

  /**
   * Stores a new user. The email is kept as given; uniqueness compares it lower-cased.
   * @throws {EmailTakenError} when another user holds the email, also under concurrent creation.
   */
  async createUser(input: CreateUserBody): Promise<User> {
    const nowMs = this.#now();
    const user: User = {
      id: uuidV7(nowMs),
      email: input.email,
      name: input.name,
      createdAt: new Date(nowMs).toISOString(),
    };
    const reply = (await this.#createUser(
      [keys.email(normalizeEmail(input.email)), keys.user(user.id), keys.users],
      [user.id, JSON.stringify(user)],
    )) as [string, string?];
    if (reply[0] === 'taken') throw new EmailTakenError(input.email);
    return user;
  }

  /** The user with `id`, or undefined. */
  async getUser(id: string): Promise<User | undefined> {
    const raw = await this.#redis.get(keys.user(id));
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
    // One extra id tells whether another page follows without a second round trip.
    const ids = await this.#redis.zrange(keys.users, start, '+', 'BYLEX', 'LIMIT', 0, limit + 1);
    const pageIds = ids.slice(0, limit);
    const raws = pageIds.length === 0 ? [] : await this.#redis.mget(pageIds.map((id) => keys.user(id)));
    const items = raws.filter((raw): raw is string => raw !== null).map((raw) => JSON.parse(raw) as User);
    const last = pageIds.at(-1);
    return { items, nextCursor: ids.length > limit && last !== undefined ? encodeCursor(last) : null };
  }
}
