import { LatencyHistogram, type LatencySummary } from './latency-histogram.ts';
import type { RequestKind } from './mix.ts';

/** What happened to one request that was sent. Times are clock milliseconds. */
export interface RequestRecord {
  readonly index: number;
  readonly kind: RequestKind;
  /** When the schedule said to send it. Latency is measured from here. */
  readonly intendedMs: number;
  /** When it was handed to the HTTP client. Service time is measured from here. */
  readonly sentMs: number;
  /** When the response body was read, or the request failed. */
  readonly endMs: number;
  /** The HTTP status code as a string, or `error` for a transport failure or timeout. */
  readonly status: string;
  /** problem+json `code` of an error response, `http_<status>` without one, or the transport error code. */
  readonly errorCode?: string;
}

/** Figures of one request kind. */
export interface KindFigures {
  sent: number;
  dropped: number;
  completed: number;
  readonly statuses: Map<string, number>;
  readonly latency: LatencyHistogram;
  readonly serviceTime: LatencyHistogram;
}

/** Figures since the previous interval snapshot, for live progress. */
export interface IntervalSnapshot {
  readonly elapsedMs: number;
  readonly intervalMs: number;
  readonly sent: number;
  readonly completed: number;
  readonly dropped: number;
  readonly latency: LatencySummary;
}

/**
 * Collects every outcome of a run: counts by kind and status, errors by code, and two
 * HdrHistograms per kind — latency from the intended send time (coordinated-omission correct)
 * and service time from the actual send — plus an interval histogram reset every snapshot.
 */
export class Recorder {
  readonly #kinds = new Map<RequestKind, KindFigures>();
  readonly #errors = new Map<string, number>();
  readonly #latency = new LatencyHistogram();
  readonly #serviceTime = new LatencyHistogram();
  readonly #sendLag = new LatencyHistogram();
  readonly #interval = new LatencyHistogram();
  readonly #startMs: number;
  #intervalStartMs: number;
  #intervalCounts = { sent: 0, completed: 0, dropped: 0 };

  /** @param startMs clock time the run started */
  constructor(startMs: number) {
    this.#startMs = startMs;
    this.#intervalStartMs = startMs;
  }

  /** Counts a request handed to the HTTP client. */
  recordSent(kind: RequestKind, intendedMs: number, sentMs: number): void {
    this.#figures(kind).sent += 1;
    this.#intervalCounts.sent += 1;
    this.#sendLag.recordMs(sentMs - intendedMs);
  }

  /** Counts a request that was due but not sent because too many were in flight. */
  recordDropped(kind: RequestKind): void {
    this.#figures(kind).dropped += 1;
    this.#intervalCounts.dropped += 1;
  }

  /** Records the outcome of a sent request. */
  recordCompleted(record: RequestRecord): void {
    const figures = this.#figures(record.kind);
    figures.completed += 1;
    figures.statuses.set(record.status, (figures.statuses.get(record.status) ?? 0) + 1);
    const latencyMs = record.endMs - record.intendedMs;
    const serviceMs = record.endMs - record.sentMs;
    figures.latency.recordMs(latencyMs);
    figures.serviceTime.recordMs(serviceMs);
    this.#latency.recordMs(latencyMs);
    this.#serviceTime.recordMs(serviceMs);
    this.#interval.recordMs(latencyMs);
    this.#intervalCounts.completed += 1;
    if (record.errorCode !== undefined) {
      this.#errors.set(record.errorCode, (this.#errors.get(record.errorCode) ?? 0) + 1);
    }
  }

  /** Figures since the previous call (or the start), then starts a new interval. */
  takeInterval(nowMs: number): IntervalSnapshot {
    const snapshot: IntervalSnapshot = {
      elapsedMs: nowMs - this.#startMs,
      intervalMs: nowMs - this.#intervalStartMs,
      ...this.#intervalCounts,
      latency: this.#interval.summary(),
    };
    this.#interval.reset();
    this.#intervalCounts = { sent: 0, completed: 0, dropped: 0 };
    this.#intervalStartMs = nowMs;
    return snapshot;
  }

  /** Per-kind figures, in the order kinds were first seen. */
  get kinds(): ReadonlyMap<RequestKind, KindFigures> {
    return this.#kinds;
  }

  /** Error counts by code. */
  get errors(): ReadonlyMap<string, number> {
    return this.#errors;
  }

  /** Status counts over every kind. */
  statuses(): Map<string, number> {
    const all = new Map<string, number>();
    for (const figures of this.#kinds.values()) {
      for (const [status, count] of figures.statuses) all.set(status, (all.get(status) ?? 0) + count);
    }
    return new Map([...all].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Totals over every kind. */
  totals(): { sent: number; dropped: number; completed: number } {
    let sent = 0;
    let dropped = 0;
    let completed = 0;
    for (const figures of this.#kinds.values()) {
      sent += figures.sent;
      dropped += figures.dropped;
      completed += figures.completed;
    }
    return { sent, dropped, completed };
  }

  /** Latency from the intended send time, over every kind. */
  get latency(): LatencyHistogram {
    return this.#latency;
  }

  /** Service time from the actual send, over every kind. */
  get serviceTime(): LatencyHistogram {
    return this.#serviceTime;
  }

  /** How late the generator itself sent each request (actual − intended). */
  get sendLag(): LatencyHistogram {
    return this.#sendLag;
  }

  #figures(kind: RequestKind): KindFigures {
    let figures = this.#kinds.get(kind);
    if (figures === undefined) {
      figures = {
        sent: 0,
        dropped: 0,
        completed: 0,
        statuses: new Map(),
        latency: new LatencyHistogram(),
        serviceTime: new LatencyHistogram(),
      };
      this.#kinds.set(kind, figures);
    }
    return figures;
  }
}
