/**
 * The Redis memory model of the soak scenario: what one order leaves in Redis, per key pattern
 * (measured), and the plateau that retention × rate × bytes per order predicts.
 */
import type { PatternFootprint } from '../observe/redis-footprint.ts';

/** How a key pattern grows with orders, and so which retention bounds it. */
export type PatternKind =
  /** One key (or a few) per order, expiring a retention after the order settled. */
  | 'per-order'
  /** BullMQ's completed job (hash + member of the `completed` set), kept by age and count. */
  | 'per-job'
  /** BullMQ's event stream, trimmed to about `eventsMaxLen` entries. */
  | 'events'
  /** Not per order: the user, queue metadata, limiter and configuration keys. */
  | 'fixed';

/** The kind of a pattern from {@link keyPattern}. */
export function patternKind(pattern: string): PatternKind {
  if (
    /^(order:order|order:idem|payment:payment|payment:order|payment:idem|payment:processor):<id>$/.test(
      pattern,
    )
  )
    return 'per-order';
  if (pattern === 'order:bull:payments:<jobId>' || pattern === 'order:bull:payments:completed')
    return 'per-job';
  if (pattern === 'order:bull:payments:events') return 'events';
  return 'fixed';
}

/** What one order costs in one key pattern. */
export interface PatternCost {
  readonly pattern: string;
  readonly kind: PatternKind;
  /** Bytes per order: `MEMORY USAGE` plus Redis' per-key overhead, shared keys by member. */
  readonly bytesPerOrder: number;
}

/** A calibration: N orders created and settled on an otherwise idle system. */
export interface Calibration {
  readonly orders: number;
  /** `used_memory` before and after the orders, bytes. */
  readonly usedBefore: number;
  readonly usedAfter: number;
  /** The footprint before and after, by pattern. */
  readonly before: readonly PatternFootprint[];
  readonly after: readonly PatternFootprint[];
}

/** What {@link orderCosts} derives from a calibration. */
export interface OrderCosts {
  readonly patterns: readonly PatternCost[];
  /**
   * Bytes per new key that `MEMORY USAGE` does not count (the keyspace and expiry dictionary
   * entries), spread so that the patterns add up to the measured `used_memory` growth.
   */
  readonly overheadPerKey: number;
  /** Bytes per BullMQ event stream entry. */
  readonly bytesPerEvent: number;
}

/** Per-order costs by pattern, from a calibration. */
export function orderCosts(calibration: Calibration): OrderCosts {
  const before = new Map(calibration.before.map((p) => [p.pattern, p]));
  const grown = calibration.after.map((after) => {
    const was = before.get(after.pattern);
    return {
      pattern: after.pattern,
      keys: after.keys - (was?.keys ?? 0),
      bytes: after.bytes - (was?.bytes ?? 0),
      members: after.members - (was?.members ?? 0),
    };
  });
  const growth = calibration.usedAfter - calibration.usedBefore;
  const counted = grown.reduce((sum, p) => sum + Math.max(0, p.bytes), 0);
  const newKeys = grown.reduce((sum, p) => sum + Math.max(0, p.keys), 0);
  const overheadPerKey = newKeys > 0 ? Math.max(0, (growth - counted) / newKeys) : 0;
  const events = calibration.after.find((p) => patternKind(p.pattern) === 'events');
  return {
    overheadPerKey,
    bytesPerEvent: events && events.members > 0 ? events.bytes / events.members : 0,
    patterns: grown
      .filter((p) => p.bytes > 0 || p.keys > 0)
      .map((p) => {
        const kind = patternKind(p.pattern);
        const bytes = Math.max(0, p.bytes) + Math.max(0, p.keys) * overheadPerKey;
        // Per key where an order has one key of the pattern (its order, payment, job, …): keys
        // may already expire, or jobs be trimmed, while the calibration runs. Per member for the
        // `completed` set; per calibration order for shared keys (the event stream).
        const divisor = /<(id|jobId)>$/.test(p.pattern)
          ? p.keys
          : kind === 'per-job'
            ? p.members
            : calibration.orders;
        return { pattern: p.pattern, kind, bytesPerOrder: divisor > 0 ? bytes / divisor : 0 };
      })
      .sort((a, b) => b.bytesPerOrder - a.bytesPerOrder),
  };
}

/** The retention and rate a plateau is predicted for. */
export interface PlateauInputs {
  /** Orders accepted per second. */
  readonly ordersPerSecond: number;
  /** How long an order's per-order keys live: retention plus the time it takes to settle, ms. */
  readonly orderLifetimeMs: number;
  /** `retention.completedJobMs` and `retention.completedJobCount`. */
  readonly completedJobMs: number;
  readonly completedJobCount: number;
  /** BullMQ's event stream cap (its default: 10,000). */
  readonly eventsMaxLen: number;
  /** `used_memory` of the system without orders, bytes. */
  readonly baselineBytes: number;
}

/** A predicted plateau and its parts, bytes. */
export interface PlateauPrediction {
  readonly totalBytes: number;
  readonly baselineBytes: number;
  readonly perOrderBytes: number;
  readonly retainedOrders: number;
  readonly perJobBytes: number;
  readonly retainedJobs: number;
  readonly eventsBytes: number;
}

/**
 * retention × rate × bytes per order, for each way a pattern is bounded: per-order keys live
 * `orderLifetimeMs`, completed jobs `min(age × rate, count)`, the event stream its cap.
 */
export function predictPlateau(costs: OrderCosts, inputs: PlateauInputs): PlateauPrediction {
  const sum = (kind: PatternKind): number =>
    costs.patterns.filter((p) => p.kind === kind).reduce((total, p) => total + p.bytesPerOrder, 0);
  const perOrderBytes = sum('per-order');
  const perJobBytes = sum('per-job');
  const retainedOrders = (inputs.ordersPerSecond * inputs.orderLifetimeMs) / 1000;
  const retainedJobs = Math.min(
    (inputs.ordersPerSecond * inputs.completedJobMs) / 1000,
    inputs.completedJobCount,
  );
  // Trimming is approximate (whole stream nodes of 100 entries): allow one node more.
  const eventsBytes = (inputs.eventsMaxLen + 100) * costs.bytesPerEvent;
  return {
    totalBytes:
      inputs.baselineBytes + retainedOrders * perOrderBytes + retainedJobs * perJobBytes + eventsBytes,
    baselineBytes: inputs.baselineBytes,
    perOrderBytes,
    retainedOrders,
    perJobBytes,
    retainedJobs,
    eventsBytes,
  };
}

/** `12.3 MiB`, `840 KiB`, `512 B`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** One line per pattern: `order:order:<id>  per-order  612 B`. */
export function formatCosts(costs: OrderCosts): string[] {
  const width = Math.max(...costs.patterns.map((p) => p.pattern.length), 10);
  return [
    ...costs.patterns.map(
      (p) => `  ${p.pattern.padEnd(width)}  ${p.kind.padEnd(9)}  ${formatBytes(p.bytesPerOrder)} per order`,
    ),
    `  (Redis per-key overhead ${Math.round(costs.overheadPerKey)} B included; event stream ${Math.round(costs.bytesPerEvent)} B per entry)`,
  ];
}

/** One line: `plateau 9.8 MiB = baseline 1.1 MiB + 450 orders × 2.1 KiB + ...`. */
export function formatPrediction(p: PlateauPrediction): string {
  return (
    `${formatBytes(p.totalBytes)} = baseline ${formatBytes(p.baselineBytes)}` +
    ` + ${Math.round(p.retainedOrders)} orders × ${formatBytes(p.perOrderBytes)}` +
    ` + ${Math.round(p.retainedJobs)} completed jobs × ${formatBytes(p.perJobBytes)}` +
    ` + event stream ${formatBytes(p.eventsBytes)}`
  );
}
