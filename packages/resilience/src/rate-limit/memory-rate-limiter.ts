import { algorithms, type Algorithm } from './algorithms/index.ts';
import { Emitter } from '../policies/common/emitter.ts';
import {
  applySettings,
  oversized,
  validateBase,
  validateCost,
  type Limits,
  type RateLimiterBaseOptions,
} from './limits.ts';
import type {
  Disposable,
  RateLimitAlgorithm,
  RateLimitDecision,
  RateLimitDecisionEvent,
  RateLimitDegradedEvent,
  RateLimiter,
  RateLimitSettings,
} from './rate-limiter.ts';

/** Options of {@link MemoryRateLimiter}. */
export interface MemoryRateLimiterOptions extends RateLimiterBaseOptions {
  /**
   * Current time in ms. Inject a fake clock in tests; read once per decision and floored to
   * whole ms. Wall-clock so fixed windows share the Redis limiters' epoch-aligned boundaries.
   * @default Date.now
   */
  clock?: () => number;
}

interface Entry {
  state: unknown;
  expiresAt: number;
}

/**
 * A rate limiter for one process: the same algorithms, maths and decisions as
 * RedisRateLimiter, with state in a Map. Keys whose state has fully decayed are dropped by a
 * sweep that runs at most once per window (at least once a minute while decisions are made).
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly name: string;
  readonly algorithm: RateLimitAlgorithm;
  readonly #algorithm: Algorithm<unknown>;
  readonly #limits: Limits;
  readonly #clock: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #decisions = new Emitter<RateLimitDecisionEvent>();
  readonly #degraded = new Emitter<RateLimitDegradedEvent>();
  #nextSweepAt = 0;

  constructor(options: MemoryRateLimiterOptions) {
    const { name, limits } = validateBase(options);
    if (options.clock !== undefined && typeof options.clock !== 'function') {
      throw new RangeError(`clock must be a function, got ${typeof options.clock}`);
    }
    this.name = name;
    this.algorithm = options.algorithm;
    this.#algorithm = algorithms[options.algorithm];
    this.#limits = limits;
    this.#clock = options.clock ?? Date.now;
  }

  get limit(): number {
    return this.#limits.limit;
  }

  get windowMs(): number {
    return this.#limits.windowMs;
  }

  /** Always false: memory has no backend to lose. */
  get degraded(): boolean {
    return false;
  }

  /** Number of keys currently holding state (for tests and gauges). */
  get size(): number {
    return this.#entries.size;
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so a bad cost rejects, as on Redis
  async consume(key: string, cost = 1): Promise<RateLimitDecision> {
    return this.consumeSync(key, cost);
  }

  /** The synchronous core of {@link consume}, also used by Redis limiters in 'local' fail mode. */
  consumeSync(key: string, cost = 1): RateLimitDecision {
    validateCost(cost);
    const { limit, windowMs } = this.#limits;
    let decision: RateLimitDecision;
    if (cost > limit) {
      decision = oversized(this.#limits);
    } else {
      const now = Math.floor(this.#clock());
      const entry = this.#entries.get(key);
      const state = entry !== undefined && entry.expiresAt > now ? entry.state : undefined;
      const step = this.#algorithm.step(state, { now, cost, limit, windowMs });
      if (step.state === undefined) this.#entries.delete(key);
      else this.#entries.set(key, { state: step.state, expiresAt: now + step.ttlMs });
      this.#sweep(now);
      decision = { ...step.outcome, limit };
    }
    if (this.#decisions.active) this.#decisions.emit({ name: this.name, allowed: decision.allowed });
    return decision;
  }

  setLimits(settings: RateLimitSettings): void {
    applySettings(this.#limits, settings);
  }

  /** Forgets every key. */
  clear(): void {
    this.#entries.clear();
  }

  onDecision(listener: (event: RateLimitDecisionEvent) => void): Disposable {
    return this.#decisions.subscribe(listener);
  }

  /** Never fires for a memory limiter; present so every limiter has the same shape. */
  onDegraded(listener: (event: RateLimitDegradedEvent) => void): Disposable {
    return this.#degraded.subscribe(listener);
  }

  #sweep(now: number): void {
    if (now < this.#nextSweepAt) return;
    this.#nextSweepAt = now + Math.min(this.#limits.windowMs, 60_000);
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}
