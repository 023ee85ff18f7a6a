import { algorithms, luaScript, type Algorithm } from './algorithms/index.ts';
import { DecisionBatcher } from './decision-batcher.ts';
import { Emitter } from '../policies/common/emitter.ts';
import {
  applySettings,
  oversized,
  validateBase,
  validateCost,
  type Limits,
  type RateLimiterBaseOptions,
} from './limits.ts';
import { MemoryRateLimiter } from './memory-rate-limiter.ts';
import type {
  Disposable,
  RateLimitAlgorithm,
  RateLimitDecision,
  RateLimitDecisionEvent,
  RateLimitDegradedEvent,
  RateLimiter,
  RateLimitSettings,
} from './rate-limiter.ts';
import { RejectionCache } from './rejection-cache.ts';
import { RedisScript, type RateLimitRedisClient } from './redis-script.ts';
import { DeadlineQueue } from './redis-timeout.ts';

/**
 * What a Redis limiter answers while Redis fails or is slower than `timeoutMs`:
 * - `'open'`: allow everything (availability over protection);
 * - `'closed'`: reject everything (protection over availability);
 * - `'local'`: decide with an in-memory limiter of the same algorithm and window whose limit is
 *   `max(1, floor(limit / expectedReplicas))`, so the replicas together stay near the limit.
 */
export type RateLimitFailMode = 'open' | 'closed' | 'local';

/** Options of {@link RedisRateLimiter}. */
export interface RedisRateLimiterOptions extends RateLimiterBaseOptions {
  /**
   * The Redis client (ioredis `Redis` or `Cluster`). Configure it with
   * {@link rateLimitRedisOptions} so no command waits in an offline queue during an outage.
   */
  client: RateLimitRedisClient;
  /**
   * Longest wait for Redis per decision, in ms; past it the fail mode answers. Redis answers a
   * healthy decision in well under 1 ms on a LAN, so 100 ms only trips on real trouble.
   * @default 100
   */
  timeoutMs?: number;
  /** @default 'local' */
  failMode?: RateLimitFailMode;
  /**
   * Replicas sharing this limit, used by `failMode: 'local'` to split the limit.
   * @default 1
   */
  expectedReplicas?: number;
  /**
   * While degraded, at most one decision per this many ms tries Redis (the others answer from
   * the fail mode at once); the first success ends the degradation.
   * @default 1000
   */
  recoveryProbeMs?: number;
  /**
   * Prefix of every Redis key. Keys are `<keyPrefix>{<key>}` (plus `:log`/`:meta` for the
   * sliding log); the `{…}` hash tag keeps a key's entries in one Redis Cluster slot.
   * @default `rl:<name>:<algorithm>:`
   */
  keyPrefix?: string;
  /**
   * Answer requests for a key Redis rejected locally until its retry time (see RejectionCache).
   * @default true
   */
  localRejections?: boolean;
  /**
   * Most keys the local rejection cache holds; the oldest is dropped beyond it.
   * @default 10000
   */
  localRejectionsMaxKeys?: number;
  /**
   * Most decisions sent in one script call: decisions made in the same tick go to Redis
   * together (each batch atomic, decided in order). 1 sends every decision on its own. Forced
   * to 1 on an ioredis Cluster client (`isCluster`), since a batch mixes keys of many slots.
   * @default 64
   */
  batchSize?: number;
  /**
   * TEST ONLY: replaces the Redis server's clock (TIME) with this one, so tests can drive
   * Redis decisions with exact times. Never set it in production: replicas would disagree.
   * @default undefined (the Redis server's clock)
   */
  testClock?: () => number;
}

const defaults = {
  timeoutMs: 100,
  failMode: 'local',
  expectedReplicas: 1,
  recoveryProbeMs: 1000,
  localRejections: true,
  localRejectionsMaxKeys: 10_000,
  batchSize: 64,
} as const satisfies Partial<RedisRateLimiterOptions>;

type Health =
  { kind: 'healthy' } | { kind: 'degraded'; nextProbeAt: number; fallback: MemoryRateLimiter | undefined };

const scripts = new Map<RateLimitAlgorithm, RedisScript>();

function scriptFor(algorithm: Algorithm<unknown>): RedisScript {
  let script = scripts.get(algorithm.name);
  if (script === undefined) {
    script = new RedisScript(luaScript(algorithm));
    scripts.set(algorithm.name, script);
  }
  return script;
}

function positive(option: string, value: number, integer: boolean): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${option} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  }
  return value;
}

/**
 * A rate limiter shared by every replica through Redis: one atomic Lua script per decision
 * (EVALSHA, one round trip), on the Redis server's clock, every key with a TTL. Bounded by
 * `timeoutMs`; on failure it answers from its fail mode and reports `degraded` until Redis
 * answers again.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly name: string;
  readonly algorithm: RateLimitAlgorithm;
  readonly #batcher: DecisionBatcher;
  readonly #suffixes: readonly string[];
  readonly #limits: Limits;
  readonly #prefix: string;
  readonly #failMode: RateLimitFailMode;
  readonly #expectedReplicas: number;
  readonly #recoveryProbeMs: number;
  readonly #rejections: RejectionCache | undefined;
  readonly #decisions = new Emitter<RateLimitDecisionEvent>();
  readonly #degradedEvents = new Emitter<RateLimitDegradedEvent>();
  #health: Health = { kind: 'healthy' };

  constructor(options: RedisRateLimiterOptions) {
    const { name, limits } = validateBase(options);
    const merged = { ...defaults, ...options };
    if (typeof merged.client?.callBuffer !== 'function') {
      throw new RangeError('client must be a Redis client with callBuffer (ioredis Redis or Cluster)');
    }
    if (!['open', 'closed', 'local'].includes(merged.failMode)) {
      throw new RangeError(`failMode must be 'open', 'closed' or 'local', got ${String(merged.failMode)}`);
    }
    this.name = name;
    this.algorithm = options.algorithm;
    const algorithm = algorithms[options.algorithm];
    this.#suffixes = algorithm.keySuffixes;
    this.#limits = limits;
    this.#prefix = merged.keyPrefix ?? `rl:${name}:${options.algorithm}:`;
    if (this.#prefix.includes('{')) throw new RangeError(`keyPrefix must not contain {, got ${this.#prefix}`);
    this.#failMode = merged.failMode;
    this.#expectedReplicas = positive('expectedReplicas', merged.expectedReplicas, true);
    this.#recoveryProbeMs = positive('recoveryProbeMs', merged.recoveryProbeMs, false);
    positive('localRejectionsMaxKeys', merged.localRejectionsMaxKeys, true);
    this.#rejections = merged.localRejections ? new RejectionCache(merged.localRejectionsMaxKeys) : undefined;
    this.#batcher = new DecisionBatcher({
      client: merged.client,
      script: scriptFor(algorithm),
      deadlines: new DeadlineQueue(positive('timeoutMs', merged.timeoutMs, false)),
      limits,
      batchSize: merged.client.isCluster === true ? 1 : positive('batchSize', merged.batchSize, true),
      testClock: merged.testClock,
    });
  }

  get limit(): number {
    return this.#limits.limit;
  }

  get windowMs(): number {
    return this.#limits.windowMs;
  }

  get degraded(): boolean {
    return this.#health.kind === 'degraded';
  }

  /** The Redis keys holding `key`'s state (for operators and tests). */
  redisKeys(key: string): string[] {
    return this.#suffixes.map((suffix) => `${this.#prefix}{${key}}${suffix}`);
  }

  async consume(key: string, cost = 1): Promise<RateLimitDecision> {
    validateCost(cost);
    const limits = this.#limits;
    if (cost > limits.limit) return this.#emit(oversized(limits));
    const sentAt = performance.now();
    const cached = this.#rejections?.check(key, cost, limits.limit, sentAt);
    if (cached !== undefined) return this.#emit(cached);
    const health = this.#health;
    if (health.kind === 'degraded') {
      if (sentAt < health.nextProbeAt) return this.#emit(this.#fallback(health, key, cost, sentAt));
      health.nextProbeAt = sentAt + this.#recoveryProbeMs;
    }
    let decision: RateLimitDecision;
    try {
      const [allowed, remaining, resetMs, retryAfterMs] = await this.#batcher.decide(
        this.redisKeys(key),
        cost,
      );
      decision = { allowed: allowed === 1, limit: limits.limit, remaining, resetMs, retryAfterMs };
    } catch (error) {
      const degraded = this.#degrade(error, sentAt);
      return this.#emit(this.#fallback(degraded, key, cost, performance.now()));
    }
    this.#recover();
    if (!decision.allowed) this.#rejections?.remember(key, cost, sentAt, decision);
    return this.#emit(decision);
  }

  setLimits(settings: RateLimitSettings): void {
    applySettings(this.#limits, settings);
    // Cached rejections were computed under the old limits; a higher limit may admit sooner.
    this.#rejections?.clear();
    if (this.#health.kind === 'degraded') this.#health.fallback?.setLimits(this.#localLimits());
  }

  onDecision(listener: (event: RateLimitDecisionEvent) => void): Disposable {
    return this.#decisions.subscribe(listener);
  }

  onDegraded(listener: (event: RateLimitDegradedEvent) => void): Disposable {
    return this.#degradedEvents.subscribe(listener);
  }

  #degrade(error: unknown, now: number): Extract<Health, { kind: 'degraded' }> {
    if (this.#health.kind === 'degraded') return this.#health;
    const fallback =
      this.#failMode === 'local'
        ? new MemoryRateLimiter({
            algorithm: this.algorithm,
            name: this.name,
            ...this.#localLimits(),
          })
        : undefined;
    const health = { kind: 'degraded' as const, nextProbeAt: now + this.#recoveryProbeMs, fallback };
    this.#health = health;
    this.#degradedEvents.emit({ name: this.name, degraded: true, error });
    return health;
  }

  #recover(): void {
    if (this.#health.kind === 'healthy') return;
    this.#health = { kind: 'healthy' };
    this.#degradedEvents.emit({ name: this.name, degraded: false });
  }

  #localLimits(): Limits {
    const { limit, windowMs } = this.#limits;
    return { limit: Math.max(1, Math.floor(limit / this.#expectedReplicas)), windowMs };
  }

  #fallback(
    health: Extract<Health, { kind: 'degraded' }>,
    key: string,
    cost: number,
    now: number,
  ): RateLimitDecision {
    const { limit } = this.#limits;
    if (health.fallback !== undefined) {
      // The local limit may be below cost; its rejection then carries the local window as hint.
      return { ...health.fallback.consumeSync(key, cost), limit };
    }
    if (this.#failMode === 'open') {
      return { allowed: true, limit, remaining: limit - cost, resetMs: 0, retryAfterMs: 0 };
    }
    const wait = Math.max(1, Math.ceil(health.nextProbeAt - now));
    return { allowed: false, limit, remaining: 0, resetMs: wait, retryAfterMs: wait };
  }

  #emit(decision: RateLimitDecision): RateLimitDecision {
    if (this.#decisions.active) this.#decisions.emit({ name: this.name, allowed: decision.allowed });
    return decision;
  }
}
