// The shapes of @shipshape/resilience's hedging events and adaptive concurrency limiter, declared
// structurally like resilience-shapes.ts (this package never imports resilience).
import type { Subscribe } from './resilience-shapes.ts';

/** What the bridge needs of a service client's hedging events. */
export interface HedgingLike {
  readonly name: string;
  onHedge: Subscribe<{ name: string; hedge: number; delayMs: number }>;
  onHedgeWon: Subscribe<{ name: string; hedge: number }>;
  onHedgeSkipped: Subscribe<{ name: string; reason: string }>;
}

/** What the bridge needs of an adaptive concurrency limiter. */
export interface ConcurrencyLimitLike {
  readonly name: string;
  onReject: Subscribe<{ name: string; limit: number }>;
  /** The limit and the calls in flight; read at scrape time. */
  snapshot(): { limit: number; inFlight: number };
}

function hasFunctions(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['name'] === 'string' && names.every((n) => typeof record[n] === 'function');
}

/** True when `value` has the hedging events the bridge reads. */
export function isHedgingLike(value: unknown): value is HedgingLike {
  return hasFunctions(value, ['onHedge', 'onHedgeWon', 'onHedgeSkipped']);
}

/** True when `value` has what the concurrency-limit bridge reads. */
export function isConcurrencyLimitLike(value: unknown): value is ConcurrencyLimitLike {
  return hasFunctions(value, ['onReject', 'snapshot']);
}
