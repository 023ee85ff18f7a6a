import type { RateLimitDecision } from './rate-limiter.ts';

interface Rejection {
  cost: number;
  /** Local monotonic time until which Redis would certainly reject `cost` or more. */
  until: number;
  retryAt: number;
  resetAt: number;
  remaining: number;
}

/**
 * Remembers Redis rejections so a key known to be over its limit is answered locally, without
 * a round trip, until its retry time. Exact: a rejection of `cost` at Redis time D with retry r
 * means no cost ≥ `cost` fits before D + r whatever other replicas do (consumption only delays
 * admission). The local deadline counts from when the request was *sent* (≤ D) and stops 1 ms
 * early because r was rounded up, so it never rejects what Redis would admit. It never admits.
 */
export class RejectionCache {
  readonly #maxKeys: number;
  readonly #entries = new Map<string, Rejection>();

  constructor(maxKeys: number) {
    this.#maxKeys = maxKeys;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** A local rejection for `key` and `cost` at local time `now`, or undefined to ask Redis. */
  check(key: string, cost: number, limit: number, now: number): RateLimitDecision | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now >= entry.until) {
      this.#entries.delete(key);
      return undefined;
    }
    if (cost < entry.cost) return undefined;
    return {
      allowed: false,
      limit,
      remaining: entry.remaining,
      resetMs: Math.max(0, Math.ceil(entry.resetAt - now)),
      retryAfterMs: Math.ceil(entry.retryAt - now),
    };
  }

  /** Records a Redis rejection of `cost` for a request sent at local time `sentAt`. */
  remember(key: string, cost: number, sentAt: number, decision: RateLimitDecision): void {
    if (decision.retryAfterMs <= 1) return;
    if (!this.#entries.has(key) && this.#entries.size >= this.#maxKeys) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, {
      cost,
      until: sentAt + decision.retryAfterMs - 1,
      retryAt: sentAt + decision.retryAfterMs,
      resetAt: sentAt + decision.resetMs,
      remaining: decision.remaining,
    });
  }

  clear(): void {
    this.#entries.clear();
  }
}
