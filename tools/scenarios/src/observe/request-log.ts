import type { RequestKind, RequestRecord } from '@shipshape/load';

/** One completed load request, times in ms after the load started. */
export interface LoggedRequest {
  readonly kind: RequestKind;
  /** HTTP status as a string, or `error` for a transport failure. */
  readonly status: string;
  readonly errorCode?: string;
  readonly intendedMs: number;
  readonly sentMs: number;
  readonly endMs: number;
}

/** An order the load created (answered 202). */
export interface CreatedOrder {
  readonly id: string;
  /** When the 202 arrived, ms after the load started. */
  readonly atMs: number;
}

/** Filter of {@link RequestLog.select}. */
export interface RequestFilter {
  readonly kind?: RequestKind;
  /** Sent at or after, ms after the load started. */
  readonly fromMs?: number;
  /** Sent before, ms after the load started. */
  readonly toMs?: number;
}

/**
 * Every request of a scenario's load (from `runLoad`'s `onRequest`) and the orders it created,
 * with times relative to the load's start so they line up with the timeline.
 */
export class RequestLog {
  readonly #originMs: () => number;
  readonly #requests: LoggedRequest[] = [];
  readonly #orders: CreatedOrder[] = [];

  /** @param originMs the load's start on the `performance.now()` clock (read per record) */
  constructor(originMs: () => number) {
    this.#originMs = originMs;
  }

  /** `runLoad`'s `onRequest` callback. */
  readonly record = (record: RequestRecord, id: string | undefined): void => {
    const o = this.#originMs();
    this.#requests.push({
      kind: record.kind,
      status: record.status,
      ...(record.errorCode === undefined ? {} : { errorCode: record.errorCode }),
      intendedMs: record.intendedMs - o,
      sentMs: record.sentMs - o,
      endMs: record.endMs - o,
    });
    if (record.kind === 'create-order' && record.status === '202' && id !== undefined) {
      this.#orders.push({ id, atMs: record.endMs - o });
    }
  };

  /** Every logged request, in completion order. */
  get requests(): readonly LoggedRequest[] {
    return this.#requests;
  }

  /** Every order answered 202, in completion order. */
  get createdOrders(): readonly CreatedOrder[] {
    return this.#orders;
  }

  /** The requests matching `filter` (by kind and send time). */
  select(filter: RequestFilter = {}): LoggedRequest[] {
    return this.#requests.filter(
      (r) =>
        (filter.kind === undefined || r.kind === filter.kind) &&
        (filter.fromMs === undefined || r.sentMs >= filter.fromMs) &&
        (filter.toMs === undefined || r.sentMs < filter.toMs),
    );
  }
}

/** Whether a request failed from the client's view: a transport error or a 5xx. */
export function isFailure(request: LoggedRequest): boolean {
  return request.status === 'error' || request.status.startsWith('5');
}

/** Counts of requests by status (`202`, `503`, `error`). */
export function countByStatus(requests: readonly LoggedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

/** Counts of failed requests by error code (`upstream_unavailable`, `ECONNREFUSED`, `http_502`). */
export function countFailuresByCode(requests: readonly LoggedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) {
    if (!isFailure(r)) continue;
    const code = r.errorCode ?? `http_${r.status}`;
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

/**
 * The `p`-th percentile (0..100) of latency from the intended send time (coordinated-omission
 * correct, like the load generator's), in ms; undefined without requests.
 */
export function latencyPercentile(requests: readonly LoggedRequest[], p: number): number | undefined {
  if (requests.length === 0) return undefined;
  const sorted = requests.map((r) => r.endMs - r.intendedMs).sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
